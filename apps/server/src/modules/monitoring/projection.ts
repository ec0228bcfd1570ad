import { planPrune, type RetentionPolicy } from "@hks/backup-functions";
import { runsBetween } from "../backups/schedule.js";

/**
 * A backup volume's usage is a step curve that HKS can draw ahead of time: each Backup writing into it adds a
 * snapshot at its next scheduled times (as big as its recent runs say), and its retention then removes the
 * snapshots it no longer keeps. This projects that curve over a horizon and finds the first run that will not fit.
 */

export const PROJECTION_HORIZON_MS = 30 * 24 * 3600 * 1000;
/** Runs of a Backup that must have succeeded before its size is taken as known: one run is a guess, two are evidence. */
export const EVIDENCE_RUNS = 2;
/** A run this much bigger or smaller than the one before starts a new level (the source jumped). */
const LEVEL_SHIFT = 0.3;
/** At most this many recent runs set the size trend. */
const TREND_RUNS = 8;
/** Runs of one Backup projected at most (a Backup every 15 minutes over 30 days). */
const MAX_RUNS = 3000;

export interface ProjectedBackup {
  id: string;
  /** What a person calls it: "the nightly backup of shop". */
  label: string;
  /** Five-field cron expression and IANA zone, as the CronJob runs it. */
  schedule: string;
  timeZone: string;
  suspended?: boolean;
  retention: RetentionPolicy;
  /** Snapshots on the volume now, with the bytes each holds there (what its run added). */
  kept: Array<{ at: Date; bytes: number }>;
  /** Successful runs, oldest first: when they ran and what each added to the volume. */
  history: Array<{ at: Date; bytes: number }>;
}

export interface ProjectionInput {
  capacityBytes: number;
  usedBytes: number;
  now: Date;
  backups: ProjectedBackup[];
  horizonMs?: number;
}

export interface ProjectionStep {
  at: Date;
  kind: "RUN" | "PRUNE";
  backupId: string;
  /** Bytes the step adds (a run) or frees (a prune, negative). */
  deltaBytes: number;
  /** Usage right after the step. */
  usedBytes: number;
}

export interface RunThatWillNotFit {
  at: Date;
  backupId: string;
  label: string;
  neededBytes: number;
  freeBytes: number;
}

export interface Projection {
  /** Whether every active Backup has enough successful runs for its size to be known. */
  evidence: boolean;
  steps: ProjectionStep[];
  /** The first run whose snapshot will not fit, if one comes within the horizon. */
  firstFailure?: RunThatWillNotFit;
  /** The highest usage the curve reaches within the horizon (before the first failure). */
  peakBytes: number;
  /** Set when the curve levels off: the last week's peak is no higher than the week's before (retention balances the runs). */
  plateauBytes?: number;
}

/** The size the next runs of a Backup will have, from its recent runs: a robust trend since the last level shift. */
export function runSizeModel(history: Array<{ at: Date; bytes: number }>): ((at: Date) => number) | undefined {
  if (!history.length) return undefined;
  let start = Math.max(0, history.length - TREND_RUNS);
  for (let i = history.length - 1; i > start; i--) {
    const before = history[i - 1]!.bytes;
    const after = history[i]!.bytes;
    // A new level only when the runs since stayed at it: one odd run between normal ones is noise, not a shift.
    const persisted = history.slice(i + 1).every((r) => Math.abs(r.bytes - after) < Math.abs(r.bytes - before));
    if (Math.abs(after - before) > LEVEL_SHIFT * Math.max(before, 1) && persisted) {
      start = i;
      break;
    }
  }
  const runs = history.slice(start);
  const last = runs[runs.length - 1]!;
  // Theil–Sen: the median of the pairwise slopes ignores a noisy run or two, where least squares would follow them.
  const slopes: number[] = [];
  for (let i = 0; i < runs.length; i++)
    for (let j = i + 1; j < runs.length; j++) {
      const dt = runs[j]!.at.getTime() - runs[i]!.at.getTime();
      if (dt > 0) slopes.push((runs[j]!.bytes - runs[i]!.bytes) / dt);
    }
  const slope = slopes.length ? median(slopes) : 0;
  const base = median(runs.map((r) => r.bytes + slope * (last.at.getTime() - r.at.getTime())));
  return (at) => Math.max(0, base + slope * (at.getTime() - last.at.getTime()));
}

interface ScheduledRun {
  at: Date;
  backup: ProjectedBackup;
  size: (at: Date) => number;
}

export function project(input: ProjectionInput): Projection {
  const horizonEnd = new Date(input.now.getTime() + (input.horizonMs ?? PROJECTION_HORIZON_MS));
  const active = input.backups.filter((b) => !b.suspended);
  const evidence = active.length > 0 && active.every((b) => b.history.length >= EVIDENCE_RUNS);
  const runs: ScheduledRun[] = [];
  const held = new Map<string, Array<{ name: string; time: Date; bytes: number }>>();
  for (const backup of active) {
    const size = runSizeModel(backup.history);
    held.set(
      backup.id,
      backup.kept.map((k, i) => ({ name: `k${i}`, time: k.at, bytes: k.bytes })),
    );
    if (!size) continue;
    const times = scheduledRuns(backup, input.now, horizonEnd);
    for (const at of times) runs.push({ at, backup, size });
  }
  runs.sort((a, b) => a.at.getTime() - b.at.getTime() || a.backup.id.localeCompare(b.backup.id));

  const steps: ProjectionStep[] = [];
  let used = input.usedBytes;
  let peak = used;
  for (const [index, run] of runs.entries()) {
    const needed = run.size(run.at);
    const free = input.capacityBytes - used;
    if (needed > free) {
      return {
        evidence,
        steps,
        peakBytes: peak,
        firstFailure: { at: run.at, backupId: run.backup.id, label: run.backup.label, neededBytes: needed, freeBytes: Math.max(0, free) },
      };
    }
    used += needed;
    peak = Math.max(peak, used);
    steps.push({ at: run.at, kind: "RUN", backupId: run.backup.id, deltaBytes: needed, usedBytes: used });
    // The function applies retention right after its snapshot is written, as the Job does.
    const snapshots = held.get(run.backup.id)!;
    snapshots.push({ name: `r${index}`, time: run.at, bytes: needed });
    const removed = prunedBy(run.backup, snapshots);
    if (removed.size) {
      const freed = snapshots.filter((s) => removed.has(s.name)).reduce((sum, s) => sum + s.bytes, 0);
      held.set(
        run.backup.id,
        snapshots.filter((s) => !removed.has(s.name)),
      );
      used -= freed;
      steps.push({ at: run.at, kind: "PRUNE", backupId: run.backup.id, deltaBytes: -freed, usedBytes: used });
    }
  }
  return { evidence, steps, peakBytes: peak, plateauBytes: plateau(steps, horizonEnd) };
}

/** The curve levels off when the last week's highest point is no higher than the highest point of the week before. */
function plateau(steps: ProjectionStep[], end: Date): number | undefined {
  const week = 7 * 24 * 3600 * 1000;
  const highest = (from: number, to: number) =>
    steps.filter((s) => s.at.getTime() > from && s.at.getTime() <= to).reduce((max, s) => Math.max(max, s.usedBytes), 0);
  const lastWeek = highest(end.getTime() - week, end.getTime());
  const weekBefore = highest(end.getTime() - 2 * week, end.getTime() - week);
  if (!lastWeek || !weekBefore) return undefined;
  return lastWeek <= weekBefore * 1.005 ? Math.max(lastWeek, weekBefore) : undefined;
}

/** What retention removes after a run; keep-last alone needs no calendar, and is the common case. */
function prunedBy(backup: ProjectedBackup, snapshots: Array<{ name: string; time: Date }>): Set<string> {
  const { keepLast, keepDaily, keepWeekly, keepMonthly } = backup.retention;
  if (keepLast && !keepDaily && !keepWeekly && !keepMonthly) {
    const newestFirst = [...snapshots].sort((a, b) => b.time.getTime() - a.time.getTime());
    return new Set(newestFirst.slice(keepLast).map((s) => s.name));
  }
  return new Set(planPrune(snapshots, backup.retention, backup.timeZone).remove);
}

/**
 * A schedule's run times over a window, computed once for a week more than asked and reused while the window
 * slides inside it: the agent projects every volume each cycle, and walking a cron expression in a time zone is slow.
 */
const scheduleCache = new Map<string, { from: number; to: number; runs: Date[] }>();
function scheduledRuns(backup: ProjectedBackup, from: Date, to: Date): Date[] {
  const key = `${backup.schedule}|${backup.timeZone}`;
  let cached = scheduleCache.get(key);
  if (!cached || from.getTime() < cached.from || to.getTime() > cached.to) {
    if (scheduleCache.size > 1000) scheduleCache.clear();
    const until = new Date(to.getTime() + 7 * 24 * 3600 * 1000);
    cached = { from: from.getTime(), to: until.getTime(), runs: runsBetween(backup.schedule, backup.timeZone, from, until, MAX_RUNS) };
    scheduleCache.set(key, cached);
  }
  return cached.runs.filter((at) => at > from && at <= to);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
