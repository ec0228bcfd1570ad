import type { ForecastFailure } from "../../db/schema/index.js";
import { formatBytes, formatPercent, formatWhen } from "./figures.js";

/**
 * What the OrchestrationAgent says about a volume, in words and figures the admin can check against the Storage
 * table and the run: the threshold sentence is the spec's, a forecast names the run that will not fit and when.
 */

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "The backup 'nightly' of shop on Tue 8 Dec, 02:00 CET will not fit in 'backup-vol-1' (needs 1.4 GiB, 1.1 GiB free)." */
export function runWillNotFit(failure: ForecastFailure, volumeName: string): string {
  return `${capital(failure.label)} on ${formatWhen(new Date(failure.at), failure.timeZone)} will not fit in '${volumeName}' (needs ${formatBytes(failure.neededBytes)}, ${formatBytes(failure.freeBytes)} free).`;
}

/** The warning's lead (before the expansion question) and what follows the proposal. */
export function capacityWords(input: {
  level: "WARNING" | "CRITICAL" | "FORECAST";
  volumeKind: string;
  volumeName: string;
  percent: number;
  estimatedFullAt: Date | null;
  failure: ForecastFailure | null;
  timeZone: string;
}): { lead: string; tail: string } {
  const { volumeKind, volumeName } = input;
  const percent = formatPercent(input.percent);
  const forecast = input.failure
    ? runWillNotFit(input.failure, volumeName)
    : input.estimatedFullAt
      ? `At its current growth it will be full around ${formatWhen(input.estimatedFullAt, input.timeZone)}.`
      : "";
  if (input.level === "FORECAST") {
    const lead = input.failure
      ? `${forecast} '${volumeName}' is at ${percent} capacity.`
      : `Your ${volumeKind} '${volumeName}' is at ${percent} capacity and filling up.${forecast ? ` ${forecast}` : ""} Future backups may fail.`;
    return { lead, tail: "" };
  }
  // The spec's sentence, word for word; the forecast comes after the question.
  return {
    lead: `Your ${volumeKind} '${volumeName}' has reached ${percent} capacity. Future backups may fail.`,
    tail: forecast ? ` ${forecast}` : "",
  };
}

export function clearedWords(volumeKind: string, volumeName: string, percent: number): string {
  return `Your ${volumeKind} '${volumeName}' is back to ${formatPercent(percent)} capacity; the capacity alert is cleared.`;
}

/** What a run that failed on a full destination needed, and what would have let it succeed. */
export function quotaFailureWords(input: {
  backupName: string;
  applicationName: string;
  when?: Date;
  timeZone: string;
  jobName?: string | null;
  volumeName: string;
  destination?: { usedBytes: number; totalBytes: number };
  neededBytes?: number;
  freeBytes?: number;
  /** The largest number of snapshots to keep that frees what was missing, and what that frees. */
  keepLast?: { keep: number; now?: number; freesBytes: number };
  /** Another volume of the workspace with room for the run. */
  roomIn?: { name: string; freeBytes: number };
}): string {
  const d = input.destination;
  const usage = d?.totalBytes
    ? ` ('${input.volumeName}' is ${formatPercent((d.usedBytes / d.totalBytes) * 100)} full: ${formatBytes(d.usedBytes)} of ${formatBytes(d.totalBytes)} used)`
    : "";
  const when = input.when ? ` on ${formatWhen(input.when, input.timeZone)}` : "";
  const run = input.jobName ? ` (run ${input.jobName})` : "";
  const need =
    input.neededBytes !== undefined && input.freeBytes !== undefined
      ? ` It needed ${formatBytes(input.neededBytes)}; ${formatBytes(input.freeBytes)} was free.`
      : "";
  const missing =
    input.neededBytes !== undefined && input.freeBytes !== undefined ? Math.max(0, input.neededBytes - input.freeBytes) : undefined;
  const remedies = [missing ? `expand the volume by at least ${formatBytes(missing)}` : "expand the volume"];
  if (input.keepLast)
    remedies.push(
      `lower its retention to keep the last ${input.keepLast.keep}${input.keepLast.now ? ` (it keeps ${input.keepLast.now})` : ""}, which frees ${formatBytes(input.keepLast.freesBytes)}`,
    );
  if (input.roomIn) remedies.push(`move the backup to '${input.roomIn.name}', which has ${formatBytes(input.roomIn.freeBytes)} free`);
  const said = remedies.length > 1 ? `${remedies.slice(0, -1).join("; ")}; or ${remedies[remedies.length - 1]}` : remedies[0]!;
  return `The backup '${input.backupName}' of application '${input.applicationName}' failed${when}${run}: its destination volume is full${usage}.${need} To fix it, ${said}.`;
}

/** The fewest snapshots to drop (newest kept) so that what they hold covers `missingBytes`; undefined if none does. */
export function retentionThatFrees(keptBytesNewestFirst: number[], missingBytes: number): { keep: number; freesBytes: number } | undefined {
  for (let keep = keptBytesNewestFirst.length - 1; keep >= 1; keep--) {
    const frees = keptBytesNewestFirst.slice(keep).reduce((sum, b) => sum + b, 0);
    if (frees >= missingBytes) return { keep, freesBytes: frees };
  }
  return undefined;
}
