import { describe, expect, it } from "vitest";
import { formatDateTime, formatDuration, formatRelative } from "./time";

describe("formatRelative", () => {
  const now = Date.parse("2025-03-01T12:00:00Z");
  it("describes future and past times", () => {
    expect(formatRelative("2025-03-01T15:00:00Z", now)).toBe("in 3 hours");
    expect(formatRelative("2025-03-01T11:55:00Z", now)).toBe("5 minutes ago");
    expect(formatRelative("2025-03-02T12:00:00Z", now)).toBe("tomorrow");
    expect(formatRelative("2025-03-01T12:00:10Z", now)).toBe("in a few seconds");
  });
  it("shows a dash for missing times", () => {
    expect(formatRelative(null, now)).toBe("—");
    expect(formatRelative("not a date", now)).toBe("—");
  });
});

describe("formatDateTime", () => {
  it("formats in the given zone and falls back on unknown zones", () => {
    expect(formatDateTime("2025-01-05T01:00:00Z", "Europe/Berlin")).toMatch(/02:00/);
    expect(formatDateTime("2025-01-05T01:00:00Z", "UTC")).toMatch(/01:00/);
    expect(formatDateTime("2025-01-05T01:00:00Z", "Not/AZone")).not.toBe("—");
    expect(formatDateTime(null)).toBe("—");
  });
});

describe("formatDuration", () => {
  it("uses seconds, minutes and hours", () => {
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(200)).toBe("3 min 20 s");
    expect(formatDuration(3900)).toBe("1 h 05 min");
    expect(formatDuration(null)).toBe("—");
  });
});
