import { trendFullAt, type Trend } from "./forecast.js";
import type { Projection, RunThatWillNotFit } from "./projection.js";

const HOUR = 3600 * 1000;
/** A run that will not fit is worth a warning a week ahead: time to expand, prune or move the backup. */
export const BACKUP_FORECAST_HORIZON_MS = 7 * 24 * HOUR;
/**
 * A trend is only trusted as kube-prometheus' KubePersistentVolumeFillingUp trusts one: fitted over at least
 * 6 h of samples, on a volume with less than 15% free, predicting full within 4 days.
 */
export const TREND_MIN_SPAN_MS = 6 * HOUR;
export const TREND_MAX_FREE_SHARE = 0.15;
export const TREND_FORECAST_HORIZON_MS = 4 * 24 * HOUR;

export type Forecast =
  { source: "BACKUPS"; fullAt: Date; failure: RunThatWillNotFit; horizonMs: number } | { source: "TREND"; fullAt: Date; horizonMs: number };

/**
 * When a volume will be full, on evidence only. A volume Backups write into is judged by its projection (the
 * step curve of their runs and prunes), and only once each Backup has run enough to know its size; any other
 * volume by its usage trend, and only with the history and the little free space that make a trend mean something.
 */
export function forecastFull(input: {
  capacityBytes: number;
  usedBytes: number;
  now: Date;
  projection?: Projection;
  trend?: { fit: Trend; spanMs: number };
}): Forecast | null {
  if (input.projection) {
    const { evidence, firstFailure } = input.projection;
    if (!evidence || !firstFailure) return null;
    return { source: "BACKUPS", fullAt: firstFailure.at, failure: firstFailure, horizonMs: BACKUP_FORECAST_HORIZON_MS };
  }
  if (!input.trend || input.trend.spanMs < TREND_MIN_SPAN_MS) return null;
  if (input.capacityBytes <= 0 || (input.capacityBytes - input.usedBytes) / input.capacityBytes >= TREND_MAX_FREE_SHARE) return null;
  const fullAt = trendFullAt(input.trend.fit, input.capacityBytes, input.now);
  return fullAt ? { source: "TREND", fullAt, horizonMs: TREND_FORECAST_HORIZON_MS } : null;
}
