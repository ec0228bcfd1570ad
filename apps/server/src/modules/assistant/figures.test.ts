import { describe, expect, it } from "vitest";
import { formatBytes, formatPercent, formatWhen } from "./figures.js";

const GiB = 1024 ** 3;

describe("figures in messages", () => {
  it("say dates in words in the schedule's zone", () => {
    expect(formatWhen(new Date("2026-12-08T01:00:00Z"), "Europe/Berlin")).toBe("Tue 8 Dec, 02:00 CET");
    expect(formatWhen(new Date("2026-07-08T01:00:00Z"), "Europe/London")).toBe("Wed 8 Jul, 02:00 BST");
    expect(formatWhen(new Date("2026-12-08T07:30:00Z"), "America/New_York")).toBe("Tue 8 Dec, 02:30 EST");
    expect(formatWhen(new Date("2026-12-08T01:00:00Z"))).toBe("Tue 8 Dec, 01:00 UTC");
    expect(formatWhen(new Date("2026-12-08T01:00:00Z"), "Not/AZone")).toBe("Tue 8 Dec, 01:00 UTC");
  });

  it("read a percentage below one as <1%, and others as the Storage table shows them", () => {
    expect(formatPercent(0.4)).toBe("<1%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(87.34)).toBe("87%");
    expect(formatPercent(41)).toBe("41%");
  });

  it("give sizes in the table's units and digits", () => {
    expect(formatBytes(1.4 * GiB)).toBe("1.4 GiB");
    expect(formatBytes(1.125 * GiB)).toBe("1.13 GiB");
    expect(formatBytes(650 * GiB)).toBe("650 GiB");
    expect(formatBytes(512)).toBe("512 B");
  });
});
