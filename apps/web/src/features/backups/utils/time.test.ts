import { describe, expect, it } from "vitest";
import { formatDateTime, formatDuration, formatPast, formatRelative } from "./time";

describe("formatRelative", () => {
  const now = Date.parse("2025-03-01T12:00:00Z");
  it("describes future and past times", () => {
    expect(formatRelative("2025-03-01T15:00:00Z", now)).toBe("in 3 hours");
    expect(formatRelative("2025-03-01T11:55:00Z", now)).toBe("5 minutes ago");
    expect(formatRelative("2025-03-02T12:00:00Z", now)).toBe("tomorrow");
    expect(formatRelative("2025-03-01T12:00:10Z", now)).toBe("in a few seconds");
    expect(formatRelative("2025-03-01T11:59:50Z", now)).toBe("just now");
  });
  it("shows a dash for missing times", () => {
    expect(formatRelative(null, now)).toBe("—");
    expect(formatRelative("not a date", now)).toBe("—");
  });
});

describe("formatPast", () => {
  const now = Date.parse("2025-03-01T12:00:00Z");
  it("says how long ago an event happened", () => {
    expect(formatPast("2025-03-01T11:59:50Z", now)).toBe("just now");
    expect(formatPast("2025-03-01T11:55:00Z", now)).toBe("5 minutes ago");
    expect(formatPast("2025-02-28T12:00:00Z", now)).toBe("yesterday");
  });
  it("reads a run that finished after the page last read the clock as just now, never as a future", () => {
    // The page's now is up to 30 s old and the browser's clock may lag the server's by minutes.
    expect(formatPast("2025-03-01T12:00:03Z", now)).toBe("just now");
    expect(formatPast("2025-03-01T12:00:40Z", now)).toBe("just now");
    expect(formatPast("2025-03-01T12:05:00Z", now)).toBe("just now");
  });
  it("shows a dash for missing times", () => {
    expect(formatPast(undefined, now)).toBe("—");
    expect(formatPast("not a date", now)).toBe("—");
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
