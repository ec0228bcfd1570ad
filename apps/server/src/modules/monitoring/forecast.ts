/**
 * When a volume fills up at its recent rate: a least-squares line through the samples, as PromQL's
 * `predict_linear` fits one. Null when usage is flat or shrinking, or there is too little history.
 */
export function estimateFullAt(samples: Array<{ at: Date; usedBytes: number }>, capacityBytes: number, now: Date = new Date()): Date | null {
  if (samples.length < 3) return null;
  const t0 = samples[0]!.at.getTime();
  const xs = samples.map((s) => (s.at.getTime() - t0) / 1000);
  const ys = samples.map((s) => s.usedBytes);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx; // bytes per second
  if (slope <= 0) return null;
  const intercept = my - slope * mx;
  const secondsAtFull = (capacityBytes - intercept) / slope;
  const at = new Date(t0 + secondsAtFull * 1000);
  return at < now ? now : at;
}
