/**
 * Replays a trace through a capacity policy on the simulated clock: which alerts it raises and when, and what it
 * predicts before the volume fills. The three policies are the product's (projection + guarded trend), the
 * agent's former one (least squares over 6 h, full within a day), and kube-prometheus' KubePersistentVolumeFillingUp.
 */
import { decide, type AlertLevel } from "../modules/monitoring/alert-policy.js";
import { forecastFull } from "../modules/monitoring/capacity-policy.js";
import { addSample, estimateFullAt, startTrend } from "../modules/monitoring/forecast.js";
import { project } from "../modules/monitoring/projection.js";
import { DAY, HOUR, play, SAMPLE_EVERY_MS, type Sample, type Trace, type TraceTruth } from "./capacity-traces.js";

const THRESHOLD = 85;
const WINDOW = 6 * HOUR;

export interface Prediction {
  /** When the policy says the volume will be full (or the run that will not fit runs); null when it says nothing. */
  fullAt: Date | null;
  /** How far ahead that prediction is worth an alert. */
  horizonMs: number;
  /** Alert level from the volume's own state (threshold, or an alert-rule's own condition). */
  level?: AlertLevel | null;
}

export interface Policy {
  name: string;
  predict(truth: TraceTruth, trace: Trace, now: Date, window: Sample[]): Prediction;
  /** Rules that hold no state of their own (Prometheus alerts fire while their condition holds). */
  stateless?: boolean;
}

const percentOf = (trace: Trace, s: Sample | undefined) => (s ? (s.usedBytes / trace.capacityBytes) * 100 : 0);

export const POLICIES: Policy[] = [
  {
    name: "HKS projection",
    predict(truth, trace, now, window) {
      const last = window[window.length - 1];
      const usedBytes = last?.usedBytes ?? 0;
      const backups = truth.backupsAt(now);
      const projection = backups.length ? project({ capacityBytes: trace.capacityBytes, usedBytes, now, backups }) : undefined;
      let fit = startTrend(window[0]?.at ?? now, window[0]?.usedBytes ?? 0);
      for (const s of window) fit = addSample(fit, s);
      const spanMs = window.length ? window[window.length - 1]!.at.getTime() - window[0]!.at.getTime() : 0;
      const forecast = forecastFull({ capacityBytes: trace.capacityBytes, usedBytes, now, projection, trend: { fit, spanMs } });
      return { fullAt: forecast?.fullAt ?? null, horizonMs: forecast?.horizonMs ?? 0 };
    },
  },
  {
    name: "least squares (before)",
    predict(_truth, trace, now, window) {
      return { fullAt: window.length >= 3 ? estimateFullAt(window, trace.capacityBytes, now) : null, horizonMs: DAY };
    },
  },
  {
    name: "kube-prometheus",
    stateless: true,
    predict(_truth, trace, now, window) {
      const last = window[window.length - 1];
      const free = last ? (trace.capacityBytes - last.usedBytes) / trace.capacityBytes : 1;
      const fullAt = window.length >= 2 ? estimateFullAt(window, trace.capacityBytes, now) : null;
      const filling = !!fullAt && fullAt.getTime() - now.getTime() <= 4 * DAY && free < 0.15;
      return { fullAt, horizonMs: 4 * DAY, level: free < 0.03 ? "CRITICAL" : filling ? "WARNING" : null };
    },
  },
];

export interface BacktestResult {
  trace: string;
  policy: string;
  fill?: Date;
  /** Forecast alerts raised with no fill within their horizon (and a day of grace). */
  falseAlarms: number;
  /** A fill with no alert open a day before it. */
  missedFill: boolean;
  /** Predicted minus actual fill time, in hours, at 7, 3 and 1 days before the fill (null: no prediction). */
  errorHours: Record<7 | 3 | 1, number | null>;
  /** Whether, three days ahead, the predicted failing run is the one that failed. */
  rightRunAt3Days: boolean | null;
  alerts: Array<{ at: Date; level: AlertLevel; forecast: boolean }>;
}

/** Replays `trace` through `policy`, deciding every `stepMs` of simulated time (the agent decides far more often). */
export function backtest(trace: Trace, policy: Policy, truth: TraceTruth = play(trace), stepMs = HOUR): BacktestResult {
  const alerts: BacktestResult["alerts"] = [];
  const checkpoints = new Map<number, Date | null>();
  const fillAt = truth.fill?.at.getTime();
  let open: AlertLevel | undefined;
  let windowStart = 0;
  let falseAlarms = 0;
  let openAtDayBefore = false;
  const every = Math.max(1, Math.round(stepMs / SAMPLE_EVERY_MS));
  for (let i = 0; i < truth.samples.length; i += every) {
    const now = truth.samples[i]!.at;
    while (truth.samples[windowStart]!.at.getTime() < now.getTime() - WINDOW) windowStart++;
    const window = truth.samples.slice(windowStart, i + 1);
    const prediction = policy.predict(truth, trace, now, window);
    for (const days of [7, 3, 1] as const) {
      if (fillAt !== undefined && !checkpoints.has(days) && now.getTime() >= fillAt - days * DAY) checkpoints.set(days, prediction.fullAt);
    }
    const previous = open;
    if (policy.stateless) {
      open = prediction.level ?? undefined;
    } else {
      const decision = decide({
        percent: percentOf(trace, window[window.length - 1]),
        threshold: THRESHOLD,
        estimatedFullAt: prediction.fullAt,
        forecastHorizonMs: prediction.horizonMs,
        now,
        open,
      });
      if (decision.action === "raise" || decision.action === "escalate") open = decision.level;
      if (decision.action === "resolve") open = undefined;
    }
    if (open && open !== previous) {
      const forecast = policy.stateless ? open === "WARNING" : open === "FORECAST";
      alerts.push({ at: now, level: open, forecast });
      if (forecast && (fillAt === undefined || fillAt - now.getTime() > prediction.horizonMs + DAY)) falseAlarms++;
    }
    if (fillAt !== undefined && now.getTime() <= fillAt - DAY) openAtDayBefore = !!open;
  }
  const error = (days: 7 | 3 | 1) => {
    const predicted = checkpoints.get(days);
    return predicted && fillAt !== undefined ? (predicted.getTime() - fillAt) / HOUR : null;
  };
  const at3 = checkpoints.get(3);
  return {
    trace: trace.name,
    policy: policy.name,
    fill: truth.fill?.at,
    falseAlarms,
    missedFill: fillAt !== undefined && !openAtDayBefore,
    errorHours: { 7: error(7), 3: error(3), 1: error(1) },
    rightRunAt3Days: fillAt === undefined ? null : !!at3 && at3.getTime() === fillAt,
    alerts,
  };
}
