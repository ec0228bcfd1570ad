import { describe, expect, it } from "vitest";
import { addSample, estimateFullAt, moveOrigin, removeSample, startTrend, trendFullAt } from "./forecast.js";

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
    expect(
      estimateFullAt(
        [0, 1, 2].map((m) => ({ at: at(m), usedBytes: 50 })),
        100,
      ),
    ).toBeNull();
    expect(
      estimateFullAt(
        [0, 1, 2].map((m) => ({ at: at(m), usedBytes: 50 - m })),
        100,
      ),
    ).toBeNull();
    expect(
      estimateFullAt(
        [
          { at: at(0), usedBytes: 1 },
          { at: at(1), usedBytes: 2 },
        ],
        100,
      ),
    ).toBeNull();
  });
});

describe("the running trend", () => {
  const sample = (m: number, usedBytes: number) => ({ at: at(m), usedBytes });

  it("forecasts the same as a fit over the window when samples come and go", () => {
    // Terabyte-sized values: the sums must not lose the growth to rounding.
    const used = (m: number) => 4e12 + m * 1e6 + (m % 3) * 1e5;
    let trend = startTrend(at(0), used(0));
    for (let m = 0; m < 40; m++) trend = addSample(trend, sample(m, used(m)));
    for (let m = 0; m < 25; m++) trend = removeSample(trend, sample(m, used(m)));
    trend = moveOrigin(trend, at(25));
    const window = Array.from({ length: 15 }, (_, i) => sample(25 + i, used(25 + i)));
    const expected = estimateFullAt(window, 5e12, at(39))!;
    expect(Math.abs(trendFullAt(trend, 5e12, at(39))!.getTime() - expected.getTime())).toBeLessThan(1000);
  });

  it("sees no growth in flat usage, however large", () => {
    let trend = startTrend(at(0), 7e12);
    for (let m = 0; m < 30; m++) trend = addSample(trend, sample(m, 7e12));
    expect(trendFullAt(trend, 8e12, at(30))).toBeNull();
  });
});
