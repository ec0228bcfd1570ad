export interface UsagePoint {
  /** ISO time of the sample. */
  at: string;
  usedBytes: number;
  capacityBytes: number;
}

export interface ChartBox {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

export interface ChartGeometry {
  /** The SVG path of the usage line ("" without samples). */
  path: string;
  points: { x: number; y: number; percent: number; at: number }[];
  /** The y of the threshold line. */
  thresholdY: number;
  yTicks: { y: number; label: string }[];
  xTicks: { x: number; label: string }[];
  /** The plot area, inside the margins. */
  plot: { left: number; right: number; top: number; bottom: number };
}

/** A linear map from `domain` onto `range`; a zero-width domain maps to the middle of the range. */
export function scaleLinear(domain: readonly [number, number], range: readonly [number, number]): (v: number) => number {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (v) => r0 + ((v - d0) / (d1 - d0)) * (r1 - r0);
}

/** Used share of the capacity, 0–100 (0 for an empty capacity). */
export function samplePercent(s: { usedBytes: number; capacityBytes: number }): number {
  if (!(s.capacityBytes > 0)) return 0;
  return Math.min(100, Math.max(0, (s.usedBytes / s.capacityBytes) * 100));
}

/**
 * The time span the samples cover (ms since the epoch), widened back to at least `minSpanMs` before
 * the newest one, which stays at the right edge.
 */
export function timeExtent(times: readonly number[], minSpanMs = 60_000): [number, number] {
  if (!times.length) return [0, minSpanMs];
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  return [Math.min(lo, hi - minSpanMs), hi];
}

const hhmm = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const hhmmss = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });

/** `count` evenly spaced times across [start, end], labelled to the minute (to the second for spans under 10 minutes). */
export function timeTicks(start: number, end: number, count: number): { at: number; label: string }[] {
  const fmt = end - start < 10 * 60_000 ? hhmmss : hhmm;
  const n = Math.max(2, count);
  return Array.from({ length: n }, (_, i) => {
    const at = start + ((end - start) * i) / (n - 1);
    return { at, label: fmt.format(new Date(at)) };
  });
}

/**
 * Where everything of the usage chart goes: percent (0–100 %) up, time across the samples' span,
 * the threshold line, and the axes' ticks.
 */
export function usageChartGeometry(samples: readonly UsagePoint[], box: ChartBox, thresholdPercent: number): ChartGeometry {
  const plot = {
    left: box.margin.left,
    right: box.width - box.margin.right,
    top: box.margin.top,
    bottom: box.height - box.margin.bottom,
  };
  const times = samples.map((s) => Date.parse(s.at)).filter((t) => !Number.isNaN(t));
  const [t0, t1] = timeExtent(times);
  const x = scaleLinear([t0, t1], [plot.left, plot.right]);
  const y = scaleLinear([0, 100], [plot.bottom, plot.top]);
  const points = samples
    .map((s) => ({ at: Date.parse(s.at), percent: samplePercent(s) }))
    .filter((p) => !Number.isNaN(p.at))
    .sort((a, b) => a.at - b.at)
    .map((p) => ({ ...p, x: round(x(p.at)), y: round(y(p.percent)) }));
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x},${p.y}`).join(" ");
  return {
    path,
    points,
    thresholdY: round(y(thresholdPercent)),
    yTicks: [0, 25, 50, 75, 100].map((v) => ({ y: round(y(v)), label: `${v}%` })),
    xTicks: timeTicks(t0, t1, 5).map((t) => ({ x: round(x(t.at)), label: t.label })),
    plot,
  };
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
