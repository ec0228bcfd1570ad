import { describe, expect, it } from "vitest";
import { formatMoney, monthlyCostFor } from "./money";

describe("formatMoney", () => {
  it("formats known currencies", () => {
    expect(formatMoney(12.5, "EUR")).toBe("€12.50");
    expect(formatMoney(1234, "USD")).toBe("$1,234.00");
  });
  it("falls back for unknown codes", () => {
    expect(formatMoney(3, "not-a-code")).toBe("3.00 not-a-code");
  });
});

describe("monthlyCostFor", () => {
  it("multiplies and rounds to cents", () => {
    expect(monthlyCostFor(500, 0.04)).toBe(20);
    expect(monthlyCostFor(3, 0.333)).toBe(1);
  });
});
