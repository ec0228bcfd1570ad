export type AlertLevel = "WARNING" | "CRITICAL" | "FORECAST";

const RANK: Record<AlertLevel, number> = { FORECAST: 1, WARNING: 2, CRITICAL: 3 };
export const CRITICAL_PERCENT = 95;
/** Usage must fall this far under the threshold before an alert clears, so it does not flap at the line. */
export const HYSTERESIS_PERCENT = 5;
/** A forecast that says "full within a day" is worth a warning before the threshold is crossed. */
export const FORECAST_HORIZON_MS = 24 * 3600 * 1000;

export type AlertDecision =
  | { action: "none" }
  | { action: "raise"; level: AlertLevel }
  | { action: "escalate"; level: AlertLevel }
  | { action: "update" }
  | { action: "resolve" };

/**
 * What the StorageWorkerAgent does with one volume's new sample, given the alert already open (if any):
 * raise once, escalate only upwards, stay quiet while nothing changes, clear with hysteresis.
 */
export function decide(input: {
  percent: number;
  threshold: number;
  estimatedFullAt: Date | null;
  now: Date;
  open?: AlertLevel;
  /** How far ahead a forecast is worth a warning (the forecast says how sure it is; see capacity-policy.ts). */
  forecastHorizonMs?: number;
}): AlertDecision {
  const horizon = input.forecastHorizonMs ?? FORECAST_HORIZON_MS;
  const forecastSoon = !!input.estimatedFullAt && input.estimatedFullAt.getTime() - input.now.getTime() < horizon;
  const level: AlertLevel | null =
    input.percent >= CRITICAL_PERCENT ? "CRITICAL" : input.percent >= input.threshold ? "WARNING" : forecastSoon ? "FORECAST" : null;
  if (!input.open) return level ? { action: "raise", level } : { action: "none" };
  if (level && RANK[level] > RANK[input.open]) return { action: "escalate", level };
  if (input.percent < input.threshold - HYSTERESIS_PERCENT && !forecastSoon) return { action: "resolve" };
  return { action: "update" };
}
