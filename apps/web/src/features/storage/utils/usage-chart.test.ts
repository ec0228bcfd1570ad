import { describe, expect, it } from "vitest";
import { samplePercent, scaleLinear, timeExtent, timeTicks, usageChartGeometry, type ChartBox } from "./usage-chart";

const GiB = 1024 ** 3;
const box: ChartBox = { width: 200, height: 120, margin: { top: 10, right: 10, bottom: 10, left: 10 } };

describe("scaleLinear", () => {
  it("maps the domain onto the range, inverted ranges included", () => {
    const y = scaleLinear([0, 100], [110, 10]);
    expect(y(0)).toBe(110);
    expect(y(100)).toBe(10);
    expect(y(85)).toBeCloseTo(25);
  });

  it("maps a zero-width domain to the middle", () => {
    expect(scaleLinear([5, 5], [0, 100])(5)).toBe(50);
  });
});

describe("samplePercent", () => {
  it("is used over capacity, clamped to 0–100", () => {
    expect(samplePercent({ usedBytes: 3 * GiB, capacityBytes: 4 * GiB })).toBe(75);
    expect(samplePercent({ usedBytes: 5 * GiB, capacityBytes: 4 * GiB })).toBe(100);
    expect(samplePercent({ usedBytes: 1, capacityBytes: 0 })).toBe(0);
  });
});

describe("timeExtent / timeTicks", () => {
  it("widens a short span back to the minimum, the newest sample at the right edge", () => {
    expect(timeExtent([1000, 1000], 60_000)).toEqual([-59_000, 1000]);
    expect(timeExtent([90_000, 100_000], 60_000)).toEqual([40_000, 100_000]);
    expect(timeExtent([0, 120_000], 60_000)).toEqual([0, 120_000]);
  });

  it("spaces ticks evenly, labelled to the second for short spans", () => {
    const start = Date.UTC(2025, 0, 5, 12, 0, 0);
    const ticks = timeTicks(start, start + 60_000, 3);
    expect(ticks.map((t) => t.at)).toEqual([start, start + 30_000, start + 60_000]);
    expect(ticks[0]?.label).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(timeTicks(start, start + 3_600_000, 2)[0]?.label).toMatch(/^\d\d:\d\d$/);
  });
});

describe("usageChartGeometry", () => {
  const t = (s: number) => new Date(Date.UTC(2025, 0, 5, 12, 0, s)).toISOString();
  const samples = [
    { at: t(60), usedBytes: 4 * GiB, capacityBytes: 4 * GiB },
    { at: t(0), usedBytes: 0, capacityBytes: 4 * GiB },
    { at: t(30), usedBytes: 2 * GiB, capacityBytes: 4 * GiB },
  ];

  it("plots percent up and time across the samples' span, oldest first", () => {
    const g = usageChartGeometry(samples, box, 85);
    expect(g.points.map((p) => [p.x, p.y, p.percent])).toEqual([
      [10, 110, 0],
      [100, 60, 50],
      [190, 10, 100],
    ]);
    expect(g.path).toBe("M10,110 L100,60 L190,10");
  });

  it("places the threshold line and the axes' ticks", () => {
    const g = usageChartGeometry(samples, box, 85);
    expect(g.thresholdY).toBe(25);
    expect(g.yTicks.map((tick) => tick.label)).toEqual(["0%", "25%", "50%", "75%", "100%"]);
    expect(g.yTicks[0]?.y).toBe(110);
    expect(g.xTicks).toHaveLength(5);
    expect(g.xTicks[0]?.x).toBe(10);
    expect(g.xTicks[4]?.x).toBe(190);
  });

  it("draws nothing without samples, and a single sample at the right edge", () => {
    expect(usageChartGeometry([], box, 85).path).toBe("");
    const one = usageChartGeometry([{ at: t(0), usedBytes: GiB, capacityBytes: 4 * GiB }], box, 85);
    expect(one.points).toHaveLength(1);
    expect(one.points[0]?.x).toBe(190);
    expect(one.points[0]?.y).toBe(85);
  });
});

describe("the projection on the usage chart", () => {
  const now = Date.parse("2026-12-04T12:00:00Z");
  const samples = [
    { at: new Date(now - 3600_000).toISOString(), usedBytes: 4 * GiB, capacityBytes: 10 * GiB },
    { at: new Date(now).toISOString(), usedBytes: 5 * GiB, capacityBytes: 10 * GiB },
  ];
  const day = 24 * 3600_000;
  const steps = [
    { at: new Date(now + day).toISOString(), kind: "RUN", source: "nightly backup of shop", deltaBytes: 2 * GiB, usedBytes: 7 * GiB },
    { at: new Date(now + day).toISOString(), kind: "PRUNE", source: "prune (keep-last 7)", deltaBytes: -GiB, usedBytes: 6 * GiB },
  ];

  it("draws a dashed step curve after the samples, each step with its source, up to the run that will not fit", () => {
    const g = usageChartGeometry(samples, box, 80, {
      steps,
      capacityBytes: 10 * GiB,
      firstFailure: { at: new Date(now + 3 * day).toISOString(), source: "the nightly backup" },
    });
    const p = g.projection!;
    // The past day fills the left third; the steps come after it, level then up (the run) then down (the prune).
    expect(p.nowX).toBeCloseTo(10 + 180 / 3, 1);
    expect(g.points[g.points.length - 1]!.x).toBeCloseTo(p.nowX, 1);
    expect(p.steps.map((s) => s.source)).toEqual(["nightly backup of shop", "prune (keep-last 7)"]);
    expect(p.steps[0]!.y).toBeLessThan(p.steps[1]!.y);
    expect(p.path).toMatch(/^M[\d.]+,[\d.]+ H[\d.]+ V[\d.]+ H[\d.]+ V[\d.]+ H[\d.]+$/);
    expect(p.failure).toMatchObject({ source: "the nightly backup", y: 10 });
    expect(p.failure!.x).toBeGreaterThan(p.steps[1]!.x);
  });

  it("leaves the chart as it was without a projection", () => {
    const g = usageChartGeometry(samples, box, 80, { steps: [], capacityBytes: 10 * GiB });
    expect(g.projection).toBeUndefined();
    expect(g.points[g.points.length - 1]!.x).toBe(190);
  });
});
