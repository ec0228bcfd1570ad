/**
 * When a volume fills up at its recent rate: a least-squares line through the samples, as PromQL's
 * `predict_linear` fits one. Null when usage is flat or shrinking, or there is too little history.
 */
export function estimateFullAt(
  samples: Array<{ at: Date; usedBytes: number }>,
  capacityBytes: number,
  now: Date = new Date(),
): Date | null {
  if (!samples.length) return null;
  let trend = startTrend(samples[0]!.at, samples[0]!.usedBytes);
  for (const s of samples) trend = addSample(trend, s);
  return trendFullAt(trend, capacityBytes, now);
}

/**
 * The least-squares sums of a volume's samples in the forecast window: x in seconds since `origin`, y in bytes over
 * `baseBytes` (small numbers, so flat usage sums to exactly zero growth). Kept per volume and updated sample by sample
 * (added as they come, removed as they leave the window), so a forecast never reads the window's history again.
 */
export interface Trend {
  origin: Date;
  baseBytes: number;
  samples: number;
  sumX: number;
  sumY: number;
  sumXY: number;
  sumXX: number;
}

export const startTrend = (origin: Date, baseBytes: number): Trend => ({
  origin,
  baseBytes,
  samples: 0,
  sumX: 0,
  sumY: 0,
  sumXY: 0,
  sumXX: 0,
});

export function addSample(t: Trend, s: { at: Date; usedBytes: number }): Trend {
  const x = (s.at.getTime() - t.origin.getTime()) / 1000;
  const y = s.usedBytes - t.baseBytes;
  return { ...t, samples: t.samples + 1, sumX: t.sumX + x, sumY: t.sumY + y, sumXY: t.sumXY + x * y, sumXX: t.sumXX + x * x };
}

export function removeSample(t: Trend, s: { at: Date; usedBytes: number }): Trend {
  const x = (s.at.getTime() - t.origin.getTime()) / 1000;
  const y = s.usedBytes - t.baseBytes;
  return { ...t, samples: t.samples - 1, sumX: t.sumX - x, sumY: t.sumY - y, sumXY: t.sumXY - x * y, sumXX: t.sumXX - x * x };
}

/** The same sums with x counted from a later origin, so x (and its square) stay as small as the window. */
export function moveOrigin(t: Trend, origin: Date): Trend {
  const d = (origin.getTime() - t.origin.getTime()) / 1000;
  return {
    origin,
    baseBytes: t.baseBytes,
    samples: t.samples,
    sumX: t.sumX - d * t.samples,
    sumY: t.sumY,
    sumXY: t.sumXY - d * t.sumY,
    sumXX: t.sumXX - 2 * d * t.sumX + d * d * t.samples,
  };
}

export function trendFullAt(t: Trend, capacityBytes: number, now: Date = new Date()): Date | null {
  const n = t.samples;
  if (n < 3) return null;
  const sxx = t.sumXX - (t.sumX * t.sumX) / n;
  const sxy = t.sumXY - (t.sumX * t.sumY) / n;
  // Below this the samples share one instant (up to rounding): there is no line to draw.
  if (sxx <= 1e-9 * Math.max(1, t.sumXX)) return null;
  const slope = sxy / sxx; // bytes per second
  if (!(slope > 0)) return null;
  const intercept = (t.sumY - slope * t.sumX) / n;
  const secondsAtFull = (capacityBytes - t.baseBytes - intercept) / slope;
  const at = new Date(t.origin.getTime() + secondsAtFull * 1000);
  if (Number.isNaN(at.getTime())) return null; // so slow that it never fills in any date a clock can show
  return at < now ? now : at;
}
