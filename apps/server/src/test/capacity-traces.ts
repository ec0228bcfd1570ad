/**
 * Usage traces of volumes, played on a simulated clock: what really happens (runs that fit or fail, usage that
 * grows), sampled as the StorageWorkerAgent would see it. The projection's unit tests and the backtest bench
 * replay the same traces through the capacity policies.
 */
import { planPrune, type RetentionPolicy } from "@hks/backup-functions";
import { runsBetween } from "../modules/backups/schedule.js";
import type { ProjectedBackup } from "../modules/monitoring/projection.js";

export const GiB = 1024 ** 3;
export const HOUR = 3600 * 1000;
export const DAY = 24 * HOUR;

export interface TraceBackup {
  id: string;
  label: string;
  schedule: string;
  timeZone: string;
  retention: RetentionPolicy;
  /** What a run writes at a time (bytes), before noise. */
  size: (at: Date) => number;
}

export interface Trace {
  name: string;
  capacityBytes: number;
  start: Date;
  days: number;
  backups: TraceBackup[];
  /** Usage of what is not snapshots (a non-backup volume's own data), at a time. */
  baseUsage?: (at: Date) => number;
  /** Relative noise on run sizes (deterministic pseudo-random). */
  noise?: number;
}

export interface Sample {
  at: Date;
  usedBytes: number;
}

/** What the trace really did: every sample, every run, and when it filled (the first run that failed, or full). */
export interface TraceTruth {
  samples: Sample[];
  runs: Array<{ at: Date; backupId: string; bytes: number; ok: boolean }>;
  /** The moment the volume could take no more: a run that did not fit, or usage at capacity. */
  fill?: { at: Date; backupId?: string };
  /** The knowledge the agent has at a time: its runs so far and the snapshots still kept. */
  backupsAt(at: Date): ProjectedBackup[];
}

export const SAMPLE_EVERY_MS = 15 * 60 * 1000;

export function play(trace: Trace): TraceTruth {
  const end = new Date(trace.start.getTime() + trace.days * DAY);
  const random = seeded(trace.name);
  const events = trace.backups
    .flatMap((backup) => runsBetween(backup.schedule, backup.timeZone, trace.start, end, 5000).map((at) => ({ at, backup })))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  const kept = new Map(trace.backups.map((b) => [b.id, [] as Array<{ name: string; time: Date; bytes: number }>]));
  // Prune times, so the agent's view of the kept snapshots can be rebuilt at any moment.
  const pruned = new Map<string, Date>();
  const snapshots = new Map<string, { backupId: string; time: Date; bytes: number }>();
  const runs: TraceTruth["runs"] = [];
  const samples: Sample[] = [];
  let snapshotBytes = 0;
  let fill: TraceTruth["fill"];
  let next = 0;
  for (let t = trace.start.getTime(); t <= end.getTime() && !fill; t += SAMPLE_EVERY_MS) {
    while (next < events.length && events[next]!.at.getTime() <= t) {
      const { at, backup } = events[next++]!;
      const base = trace.baseUsage?.(at) ?? 0;
      const bytes = Math.round(backup.size(at) * (1 + (trace.noise ?? 0) * (random() * 2 - 1)));
      if (bytes > trace.capacityBytes - base - snapshotBytes) {
        runs.push({ at, backupId: backup.id, bytes, ok: false });
        fill = { at, backupId: backup.id };
        break;
      }
      runs.push({ at, backupId: backup.id, bytes, ok: true });
      const mine = kept.get(backup.id)!;
      mine.push({ name: `${backup.id}-${runs.length}`, time: at, bytes });
      snapshots.set(`${backup.id}-${runs.length}`, { backupId: backup.id, time: at, bytes });
      snapshotBytes += bytes;
      const removed = new Set(planPrune(mine, backup.retention, backup.timeZone).remove);
      for (const s of mine.filter((m) => removed.has(m.name))) {
        snapshotBytes -= s.bytes;
        pruned.set(s.name, at);
      }
      kept.set(
        backup.id,
        mine.filter((m) => !removed.has(m.name)),
      );
    }
    if (fill) break;
    const used = Math.round((trace.baseUsage?.(new Date(t)) ?? 0) + snapshotBytes);
    if (used >= trace.capacityBytes) {
      fill = { at: new Date(t) };
      break;
    }
    samples.push({ at: new Date(t), usedBytes: used });
  }
  return {
    samples,
    runs,
    fill,
    backupsAt: (at) =>
      trace.backups.map((backup) => ({
        id: backup.id,
        label: backup.label,
        schedule: backup.schedule,
        timeZone: backup.timeZone,
        retention: backup.retention,
        history: runs.filter((r) => r.backupId === backup.id && r.ok && r.at <= at).map((r) => ({ at: r.at, bytes: r.bytes })),
        kept: [...snapshots.entries()]
          .filter(([name, s]) => s.backupId === backup.id && s.time <= at && !((pruned.get(name) ?? new Date(8.64e15)) <= at))
          .map(([, s]) => ({ at: s.time, bytes: s.bytes })),
      })),
  };
}

/** A small deterministic generator (mulberry32) seeded from the trace's name, so every run of the backtest agrees. */
function seeded(name: string): () => number {
  let a = [...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 2654435761) >>> 0, 1779033703);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const START = new Date("2026-11-01T00:00:00Z");
const days = (at: Date) => (at.getTime() - START.getTime()) / DAY;
const nightly = (id: string, label: string, size: TraceBackup["size"], keepLast: number): TraceBackup => ({
  id,
  label,
  schedule: "0 2 * * *",
  timeZone: "Europe/Berlin",
  retention: { keepLast },
  size,
});

/** The traces the backtest replays: the shapes backup volumes and plain volumes really take. */
export const TRACES: Trace[] = [
  {
    name: "nightly, source growing 1%/day, keep-last 7",
    capacityBytes: 500 * GiB,
    start: START,
    days: 60,
    noise: 0.01,
    backups: [nightly("shop", "the nightly backup of shop", (at) => 40 * GiB * 1.01 ** days(at), 7)],
  },
  {
    name: "nightly, flat source, keep-last 7",
    capacityBytes: 500 * GiB,
    start: START,
    days: 45,
    noise: 0.01,
    backups: [nightly("shop", "the nightly backup of shop", () => 40 * GiB, 7)],
  },
  {
    name: "retention plateau at 86%",
    capacityBytes: 500 * GiB,
    start: START,
    days: 45,
    noise: 0.005,
    backups: [nightly("shop", "the nightly backup of shop", () => 53.5 * GiB, 7)],
  },
  {
    name: "weekly full + daily incrementals",
    capacityBytes: 1024 * GiB,
    start: START,
    days: 60,
    noise: 0.02,
    backups: [
      {
        id: "full",
        label: "the weekly full backup of analytics",
        schedule: "0 1 * * 0",
        timeZone: "UTC",
        retention: { keepLast: 4 },
        size: (at) => 100 * GiB * (1 + 0.005 * days(at)),
      },
      {
        id: "incremental",
        label: "the daily incremental backup of analytics",
        schedule: "0 3 * * *",
        timeZone: "UTC",
        retention: { keepLast: 14 },
        size: () => 6 * GiB,
      },
    ],
  },
  {
    name: "sudden jump in the source (30 -> 52 GiB on day 20)",
    capacityBytes: 400 * GiB,
    start: START,
    days: 45,
    noise: 0.01,
    backups: [nightly("shop", "the nightly backup of shop", (at) => (days(at) < 20 ? 30 : 52) * GiB, 7)],
  },
  {
    name: "no backup, growing 6 GiB/day",
    capacityBytes: 200 * GiB,
    start: START,
    days: 30,
    backups: [],
    baseUsage: (at) => 80 * GiB + 6 * GiB * days(at),
  },
  {
    name: "no backup, noisy and flat at 70%",
    capacityBytes: 200 * GiB,
    start: START,
    days: 30,
    backups: [],
    // Swings over a few hours: enough for a line through 6 h of samples to point at full within a day.
    baseUsage: (at) => 140 * GiB + 12 * GiB * Math.sin(days(at) * 21) * Math.cos(days(at) * 2.3),
  },
];
