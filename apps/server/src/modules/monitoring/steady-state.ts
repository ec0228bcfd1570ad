import type { RetentionPolicy } from "@hks/backup-functions";
import { runsBetween } from "../backups/schedule.js";
import { project, type ProjectedBackup } from "./projection.js";

/**
 * What one Backup needs on its volume once its retention has filled: the same step curve the agent projects
 * (project()), drawn for this Backup alone from nothing, until as many runs have happened as retention keeps.
 * PLAIN writes a whole archive per run; RESTIC writes a full first copy that later runs only add to, so the
 * first copy stays (its data is shared by every later snapshot) and only the additions come and go.
 */

const DAY = 24 * 3600 * 1000;
/** Retention that keeps more than this would take over a year to fill; its figure is then what a year holds. */
const MAX_DAYS = 400;

export type BackupFormat = "PLAIN" | "RESTIC";

export interface SteadyState {
  /** The most the Backup holds at once: after a run is written and before its prune, as the Job does it. */
  bytes: number;
  /** False without retention: the figure is then what `days` of runs hold, and it keeps growing. */
  bounded: boolean;
  /** Days until the figure is reached. */
  days: number;
}

type Sized = Pick<ProjectedBackup, "id" | "label" | "schedule" | "timeZone" | "retention" | "history">;

export function steadyState(
  backup: Sized,
  format: BackupFormat,
  now: Date,
  /** For a Backup without retention: how far ahead to count (the workspace's forecast days). */
  unboundedDays: number,
): SteadyState | undefined {
  if (!backup.history.length) return undefined;
  const restic = format === "RESTIC";
  // restic: the first run in the history is the full copy; the runs after it are what each adds.
  const base = restic ? backup.history[0]!.bytes : 0;
  const history = restic ? backup.history.slice(1) : backup.history;
  const bounded = hasRetention(backup.retention);
  const days = bounded ? fillDays(backup, now) : unboundedDays;
  const projection = project({
    capacityBytes: Number.POSITIVE_INFINITY,
    usedBytes: base,
    now,
    horizonMs: days * DAY,
    backups: [{ ...backup, suspended: false, history, kept: [] }],
  });
  return { bytes: projection.peakBytes, bounded, days };
}

/** A new Backup's first runs as its source's size says they will be (the size the agent would then learn from them). */
export function assumedHistory(sourceBytes: number, format: BackupFormat, now: Date): Array<{ at: Date; bytes: number }> {
  if (format === "RESTIC") return [{ at: now, bytes: sourceBytes }];
  return [
    { at: new Date(now.getTime() - DAY), bytes: sourceBytes },
    { at: now, bytes: sourceBytes },
  ];
}

export function hasRetention(r: RetentionPolicy): boolean {
  return Boolean(r.keepLast || r.keepDaily || r.keepWeekly || r.keepMonthly);
}

/** "keep-last 7", "keep-daily 7, keep-weekly 4"; "no retention" when every snapshot stays. */
export function retentionWords(r: RetentionPolicy): string {
  const parts = [
    r.keepLast ? `keep-last ${r.keepLast}` : "",
    r.keepDaily ? `keep-daily ${r.keepDaily}` : "",
    r.keepWeekly ? `keep-weekly ${r.keepWeekly}` : "",
    r.keepMonthly ? `keep-monthly ${r.keepMonthly}` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "no retention";
}

/** Days until retention holds all it keeps, plus the run that is written before the oldest is pruned. */
function fillDays(backup: Sized, now: Date): number {
  const r = backup.retention;
  let days = 1;
  if (r.keepLast) {
    const runs = runsBetween(backup.schedule, backup.timeZone, now, new Date(now.getTime() + MAX_DAYS * DAY), r.keepLast + 1);
    const last = runs[runs.length - 1];
    days = Math.max(days, last ? Math.ceil((last.getTime() - now.getTime()) / DAY) : MAX_DAYS);
  }
  if (r.keepDaily) days = Math.max(days, r.keepDaily + 1);
  if (r.keepWeekly) days = Math.max(days, (r.keepWeekly + 1) * 7);
  if (r.keepMonthly) days = Math.max(days, (r.keepMonthly + 1) * 31);
  return Math.min(MAX_DAYS, days + 1);
}
