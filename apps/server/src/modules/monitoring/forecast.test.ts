import { describe, expect, it } from "vitest";
import { estimateFullAt } from "./forecast.js";

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 26, 0, minutes));

describe("estimateFullAt", () => {
  it("extends the recent growth to the capacity", () => {
    // 10 bytes a minute from 0: a 100-byte volume is full at minute 10.
    const samples = [0, 1, 2, 3].map((m) => ({ at: at(m), usedBytes: m * 10 }));
    expect(estimateFullAt(samples, 100, at(3))?.toISOString()).toBe(at(10).toISOString());
  });

  it("fits a line through noisy samples", () => {
    const samples = [0, 1, 2, 3, 4].map((m) => ({ at: at(m), usedBytes: m * 10 + (m % 2 ? 3 : -3) }));
    const full = estimateFullAt(samples, 100, at(4))!;
    expect(Math.abs(full.getTime() - at(10).getTime())).toBeLessThan(60_000);
  });

  it("says nothing for flat or shrinking usage, or too little history", () => {
    expect(estimateFullAt([0, 1, 2].map((m) => ({ at: at(m), usedBytes: 50 })), 100)).toBeNull();
    expect(estimateFullAt([0, 1, 2].map((m) => ({ at: at(m), usedBytes: 50 - m })), 100)).toBeNull();
    expect(estimateFullAt([{ at: at(0), usedBytes: 1 }, { at: at(1), usedBytes: 2 }], 100)).toBeNull();
  });
});
