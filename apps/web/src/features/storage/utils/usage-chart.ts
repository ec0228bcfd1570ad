export interface UsagePoint {
  /** ISO time of the sample. */
  at: string;
  usedBytes: number;
  capacityBytes: number;
}

/** A step of the projected usage, as the API gives it: a Backup's run or its retention's prune. */
export interface ProjectedStep {
  at: string;
  kind: string;
  source: string;
  deltaBytes: number;
  usedBytes: number;
}

export interface UsageProjectionInput {
  steps: readonly ProjectedStep[];
  /** The volume's capacity now (the steps' percentages are of it). */
  capacityBytes: number;
  /** The run that will not fit, if one comes within the projection. */
  firstFailure?: { at: string; source: string } | null;
}

/** The projection is drawn this far ahead of the newest sample. */
export const PROJECTION_SPAN_MS = 30 * 24 * 3600 * 1000;

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
  /** The projected step line, dashed, with each step's point and source (absent without a projection). */
  projection?: {
    path: string;
    steps: { x: number; y: number; at: number; source: string; kind: string; deltaBytes: number }[];
    failure?: { x: number; y: number; at: number; source: string };
    /** Where the past ends and the projection starts. */
    nowX: number;
  };
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
export function usageChartGeometry(
  samples: readonly UsagePoint[],
  box: ChartBox,
  thresholdPercent: number,
  projection?: UsageProjectionInput | null,
): ChartGeometry {
  const plot = {
    left: box.margin.left,
    right: box.width - box.margin.right,
    top: box.margin.top,
    bottom: box.height - box.margin.bottom,
  };
  const times = samples.map((s) => Date.parse(s.at)).filter((t) => !Number.isNaN(t));
  const [t0, t1] = timeExtent(times);
  // With a projection the past day takes the left third and the next 30 days the rest: each readable at its own scale.
  const ahead = !!projection?.steps.length || !!projection?.firstFailure;
  const split = ahead ? plot.left + (plot.right - plot.left) / 3 : plot.right;
  const past = scaleLinear([t0, t1], [plot.left, split]);
  const future = scaleLinear([t1, t1 + PROJECTION_SPAN_MS], [split, plot.right]);
  const x = (t: number) => (t <= t1 ? past(t) : future(t));
  const y = scaleLinear([0, 100], [plot.bottom, plot.top]);
  const points = samples
    .map((s) => ({ at: Date.parse(s.at), percent: samplePercent(s) }))
    .filter((p) => !Number.isNaN(p.at))
    .sort((a, b) => a.at - b.at)
    .map((p) => ({ ...p, x: round(x(p.at)), y: round(y(p.percent)) }));
  const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x},${p.y}`).join(" ");
  const xTicks = timeTicks(t0, t1, ahead ? 3 : 5).map((t) => ({ x: round(x(t.at)), label: t.label }));
  const geometry: ChartGeometry = {
    path,
    points,
    thresholdY: round(y(thresholdPercent)),
    yTicks: [0, 25, 50, 75, 100].map((v) => ({ y: round(y(v)), label: `${v}%` })),
    xTicks,
    plot,
  };
  if (!ahead || !projection) return geometry;
  for (let week = 1; week <= 4; week++) {
    const at = t1 + week * 7 * 24 * 3600 * 1000;
    xTicks.push({ x: round(x(at)), label: dayMonth.format(new Date(at)) });
  }
  const last = points[points.length - 1];
  const percentOf = (used: number) => samplePercent({ usedBytes: used, capacityBytes: projection.capacityBytes });
  const steps = projection.steps
    .map((s) => ({ at: Date.parse(s.at), source: s.source, kind: s.kind, deltaBytes: s.deltaBytes, percent: percentOf(s.usedBytes) }))
    .filter((s) => !Number.isNaN(s.at) && s.at <= t1 + PROJECTION_SPAN_MS)
    .map((s) => ({ ...s, x: round(x(s.at)), y: round(y(s.percent)) }));
  // A step curve: level until each step's moment, then straight up (a run) or down (a prune).
  let d = `M${round(split)},${last ? last.y : round(y(0))}`;
  for (const s of steps) d += ` H${s.x} V${s.y}`;
  const failureAt = projection.firstFailure ? Date.parse(projection.firstFailure.at) : NaN;
  const failure = Number.isNaN(failureAt)
    ? undefined
    : { x: round(x(failureAt)), y: round(y(100)), at: failureAt, source: projection.firstFailure!.source };
  if (failure) d += ` H${failure.x}`;
  geometry.projection = { path: d, steps: steps.map(({ percent: _, ...s }) => s), failure, nowX: round(split) };
  return geometry;
}

const dayMonth = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" });

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
