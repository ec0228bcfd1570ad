import { describe, expect, it } from "vitest";
import { formatGiB, formatGiBExact, parseSize, toSizeFieldValue, usageFraction } from "./size";

describe("parseSize", () => {
  it("parses whole GiB", () => {
    expect(parseSize("500", "GiB")).toEqual({ ok: true, gib: 500 });
    expect(parseSize(" 20 ", "GiB")).toEqual({ ok: true, gib: 20 });
  });

  it("converts TiB to GiB", () => {
    expect(parseSize("2", "TiB")).toEqual({ ok: true, gib: 2048 });
    expect(parseSize("1.5", "TiB")).toEqual({ ok: true, gib: 1536 });
    expect(parseSize("0.25", "TiB")).toEqual({ ok: true, gib: 256 });
  });

  it("refuses empty, zero, negative and non-numeric sizes", () => {
    expect(parseSize("", "GiB").ok).toBe(false);
    expect(parseSize("0", "GiB")).toEqual({ ok: false, error: "Size must be greater than 0." });
    expect(parseSize("-5", "GiB").ok).toBe(false);
    expect(parseSize("abc", "GiB").ok).toBe(false);
    expect(parseSize("1e3", "GiB").ok).toBe(false);
  });

  it("refuses fractional GiB", () => {
    const r = parseSize("1.5", "GiB");
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/whole number of GiB/);
    expect(parseSize("0.001", "TiB").ok).toBe(false);
  });
});

describe("formatGiB", () => {
  it("uses GiB below 1 TiB", () => {
    expect(formatGiB(0)).toBe("0 GiB");
    expect(formatGiB(500)).toBe("500 GiB");
    expect(formatGiB(1023)).toBe("1,023 GiB");
  });
  it("uses TiB from 1 TiB", () => {
    expect(formatGiB(1024)).toBe("1 TiB");
    expect(formatGiB(1536)).toBe("1.5 TiB");
    expect(formatGiB(10 * 1024 + 100)).toBe("10.1 TiB");
  });
});

describe("toSizeFieldValue", () => {
  it("prefers TiB for whole TiB amounts", () => {
    expect(toSizeFieldValue(2048)).toEqual({ value: "2", unit: "TiB" });
    expect(toSizeFieldValue(1500)).toEqual({ value: "1500", unit: "GiB" });
  });
});

describe("usageFraction", () => {
  it("clamps and handles missing limits", () => {
    expect(usageFraction(5, 10)).toBe(0.5);
    expect(usageFraction(20, 10)).toBe(1);
    expect(usageFraction(5, null)).toBe(0);
    expect(usageFraction(5, 0)).toBe(0);
  });
});

describe("formatGiBExact", () => {
  it("keeps GiB when TiB would round a small change away", () => {
    expect(formatGiBExact(2044)).toBe("2,044 GiB");
    expect(formatGiBExact(2048)).toBe("2 TiB");
    expect(formatGiBExact(500)).toBe("500 GiB");
  });
});
