import { describe, expect, it } from "vitest";
import { decide } from "./alert-policy.js";

const now = new Date("2026-11-26T12:00:00Z");
const base = { threshold: 85, estimatedFullAt: null, now };

describe("capacity alert policy", () => {
  it("raises at the threshold, and not below it", () => {
    expect(decide({ ...base, percent: 84.9 })).toEqual({ action: "none" });
    expect(decide({ ...base, percent: 87 })).toEqual({ action: "raise", level: "WARNING" });
    expect(decide({ ...base, percent: 96 })).toEqual({ action: "raise", level: "CRITICAL" });
  });

  it("does not repeat itself while usage stays up, and escalates only upwards", () => {
    expect(decide({ ...base, percent: 88, open: "WARNING" })).toEqual({ action: "update" });
    expect(decide({ ...base, percent: 95, open: "WARNING" })).toEqual({ action: "escalate", level: "CRITICAL" });
    expect(decide({ ...base, percent: 90, open: "CRITICAL" })).toEqual({ action: "update" });
  });

  it("clears only once usage falls clearly under the threshold (hysteresis)", () => {
    expect(decide({ ...base, percent: 83, open: "WARNING" })).toEqual({ action: "update" });
    expect(decide({ ...base, percent: 79.9, open: "WARNING" })).toEqual({ action: "resolve" });
  });

  it("warns ahead when the forecast says full within a day", () => {
    const soon = new Date(now.getTime() + 3 * 3600 * 1000);
    expect(decide({ ...base, percent: 60, estimatedFullAt: soon })).toEqual({ action: "raise", level: "FORECAST" });
    expect(decide({ ...base, percent: 86, estimatedFullAt: soon, open: "FORECAST" })).toEqual({ action: "escalate", level: "WARNING" });
    expect(decide({ ...base, percent: 60, estimatedFullAt: new Date(now.getTime() + 72 * 3600 * 1000) })).toEqual({ action: "none" });
  });
});
