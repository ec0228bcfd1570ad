import type { CapacityAlertLevel } from "../../../gql/graphql";
import { formatDateTime, formatRelative } from "../../backups/utils/time";

/** The workspace's capacity alert threshold (the server's default): usage bars turn amber from here. */
export const CAPACITY_ALERT_PERCENT = 85;
/** Where an alert becomes CRITICAL: usage bars turn red from here. */
export const CRITICAL_PERCENT = 95;

/** "93.8%" (one decimal, as the server measures), "100%". */
export function formatPercent(percent: number): string {
  if (!Number.isFinite(percent)) return "—";
  // 0.4% would read as a rounding error; the assistant's messages say it the same way.
  if (percent > 0 && percent < 1) return "<1%";
  const rounded = Math.round(percent * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

/** The tone of a usage: "danger" from 95 %, "warn" from the alert threshold, else "ok". */
export function usageTone(
  percent: number,
  warnAt: number = CAPACITY_ALERT_PERCENT,
  dangerAt: number = CRITICAL_PERCENT,
): "ok" | "warn" | "danger" {
  return percent >= dangerAt ? "danger" : percent >= warnAt ? "warn" : "ok";
}

/** An open capacity alert's level in words: "Over 85%", "Critical", "Filling fast". */
export function alertLevelLabel(level: CapacityAlertLevel, thresholdPercent: number = CAPACITY_ALERT_PERCENT): string {
  switch (level) {
    case "WARNING":
      return `Over ${thresholdPercent}%`;
    case "CRITICAL":
      return "Critical";
    case "FORECAST":
      return "Filling fast";
  }
}

/** A longer explanation of an alert level, for a tooltip. */
export function alertLevelDescription(level: CapacityAlertLevel, thresholdPercent: number = CAPACITY_ALERT_PERCENT): string {
  switch (level) {
    case "WARNING":
      return `Usage is over the ${thresholdPercent}% alert threshold.`;
    case "CRITICAL":
      return `Usage is over ${CRITICAL_PERCENT}%: the volume is nearly full.`;
    case "FORECAST":
      return "At its recent growth the volume will be full within a day.";
  }
}

/** The "Est. full" column: "in 3 hours", or "—" when the volume is not filling up. */
export function formatEstimatedFull(estimatedFullAt: string | null | undefined, now: number = Date.now()): string {
  return estimatedFullAt ? formatRelative(estimatedFullAt, now) : "—";
}

/** The forecast in a sentence, for the usage chart. */
export function forecastText(estimatedFullAt: string | null | undefined, now: number = Date.now()): string {
  if (!estimatedFullAt) return "Not filling up: usage has not grown over the last 6 hours.";
  return `At its growth over the last 6 hours it will be full ${formatRelative(estimatedFullAt, now)} (${formatDateTime(estimatedFullAt)}).`;
}
