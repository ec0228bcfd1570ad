import { describe, expect, it } from "vitest";
import { Quantity, bytesOf, canonicalQuantity, compareQuantities, tryParseQuantity } from "./quantity.js";

describe("quantity", () => {
  it("parses binary, decimal, milli and exponent forms", () => {
    expect(bytesOf("10Gi")).toBe(10 * 2 ** 30);
    expect(bytesOf("1Ki")).toBe(1024);
    expect(bytesOf("2Ti")).toBe(2 * 2 ** 40);
    expect(bytesOf("1Pi")).toBe(2 ** 50);
    expect(bytesOf("5G")).toBe(5e9);
    expect(bytesOf("3k")).toBe(3000);
    expect(bytesOf("7M")).toBe(7e6);
    expect(bytesOf("1T")).toBe(1e12);
    expect(bytesOf("12345")).toBe(12345);
    expect(bytesOf("1e3")).toBe(1000);
    expect(bytesOf("1.5Gi")).toBe(1.5 * 2 ** 30);
    expect(Quantity.parse("500m").nanos).toBe(500_000_000n);
    expect(bytesOf("500m")).toBe(1); // rounds up like Value()
  });

  it("rejects garbage", () => {
    for (const bad of ["", "abc", "10Gb", "1..2", "Gi", "10 Gi", "1iG"]) {
      expect(() => Quantity.parse(bad), bad).toThrow(/quantities must match/);
      expect(tryParseQuantity(bad)).toBeUndefined();
    }
  });

  it("formats canonically", () => {
    expect(canonicalQuantity("1024Mi")).toBe("1Gi");
    expect(canonicalQuantity("1536Mi")).toBe("1536Mi");
    expect(canonicalQuantity("1.5Gi")).toBe("1536Mi");
    expect(canonicalQuantity("1000")).toBe("1k");
    expect(canonicalQuantity("1500")).toBe("1500");
    expect(canonicalQuantity("0.5")).toBe("500m");
    expect(canonicalQuantity("1e3")).toBe("1e3");
    expect(canonicalQuantity("0Gi")).toBe("0");
    expect(canonicalQuantity("100Ki")).toBe("100Ki");
    expect(canonicalQuantity("10G")).toBe("10G");
  });

  it("does exact arithmetic", () => {
    const a = Quantity.parse("5Gi");
    const b = Quantity.parse("7Gi");
    expect(a.add(b).toString()).toBe("12Gi");
    expect(b.sub(a).toString()).toBe("2Gi");
    expect(a.cmp(b)).toBe(-1);
    expect(compareQuantities("1Gi", "1073741824")).toBe(0);
    expect(compareQuantities("1G", "1Gi")).toBe(-1);
    expect(Quantity.parse("0").isZero()).toBe(true);
    expect(tryParseQuantity(3)?.toString()).toBe("3");
  });
});
