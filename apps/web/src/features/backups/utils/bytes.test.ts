import { describe, expect, it } from "vitest";
import { formatBytes, formatCount } from "./bytes";

describe("formatBytes", () => {
  it("keeps small counts in bytes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
  });
  it("uses binary units with up to two decimals", () => {
    expect(formatBytes(1024)).toBe("1 KiB");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(5 * 1024 * 1024 * 1024)).toBe("5 GiB");
    expect(formatBytes(2.345 * 1024 ** 3)).toBe("2.35 GiB");
    expect(formatBytes(123.4 * 1024 ** 2)).toBe("123 MiB");
    expect(formatBytes(3 * 1024 ** 4)).toBe("3 TiB");
  });
  it("shows a dash when unknown or invalid", () => {
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(undefined)).toBe("—");
    expect(formatBytes(-1)).toBe("—");
    expect(formatBytes(Number.NaN)).toBe("—");
  });
});

describe("formatCount", () => {
  it("groups thousands", () => {
    expect(formatCount(12345)).toBe("12,345");
    expect(formatCount(null)).toBe("—");
  });
});
