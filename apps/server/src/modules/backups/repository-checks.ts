import type { V1CronJob, V1EnvVar } from "@kubernetes/client-node";
import { invalidInput } from "../../kernel/errors.js";
import { cronJobManifest, MAX_CRON_JOB_NAME } from "../../platform/kubernetes/kinds/cron-job.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import type { BackupRecord } from "./backup.repository.js";
import type { RepositoryCheckInput } from "./repository-trust.types.js";
import { checkSchedule, describeSchedule, nextRuns, shortestIntervalMinutes } from "./schedule.js";
import { backupLabels, verifyJobSpec, type BackupSpec, type TranslationOptions } from "./translation.js";

// restic's --read-data-subset forms: n%, n/m, or a size with an optional K/M/G/T unit.
const SUBSET = /^(?:(\d+(?:\.\d+)?)%|(\d+)\/(\d+)|(\d+)([KMGT]?))$/;

/** The check CronJob's name: one character shorter than the backup's, so it always fits. */
export const checkCronJobNameFor = (backup: Pick<BackupRecord, "name" | "id">) => `hks-check-${backup.name}-${backup.id.slice(0, 6)}`;

/**
 * The check fields a Backup is stored with, validated: a schedule Kubernetes accepts in the backup's time zone, no more
 * often than the plan lets backups run, and a subset restic understands; only a restic repository can be checked this way.
 */
export function checkedRepositoryCheck(
  input: RepositoryCheckInput | null | undefined,
  backup: { format: "RESTIC" | "PLAIN"; timeZone: string },
  workspace: WorkspaceWithPlan,
): { checkSchedule: string | null; checkReadDataSubset: string | null } {
  const schedule = input?.schedule?.trim().replace(/\s+/g, " ") || null;
  const subset = input?.readDataSubset?.trim() || null;
  if (!schedule) {
    if (subset)
      throw invalidInput(
        "check.schedule",
        "Give the check a schedule (e.g. 0 4 * * 0 for Sundays at 04:00) to read back part of the data.",
      );
    return { checkSchedule: null, checkReadDataSubset: null };
  }
  if (backup.format !== "RESTIC")
    throw invalidInput(
      "check.schedule",
      "Only a backup into a restic repository (format RESTIC) can be checked on a schedule; plain files are checked with 'verify after each run'.",
    );
  const check = checkSchedule(schedule, backup.timeZone);
  if (!check.ok) throw invalidInput(check.field === "schedule" ? "check.schedule" : "timeZone", `Check schedule: ${check.message}`);
  const min = workspace.plan.minBackupIntervalMinutes;
  const shortest = shortestIntervalMinutes(check.expression, backup.timeZone);
  if (shortest < min)
    throw invalidInput(
      "check.schedule",
      `This check would run every ${shortest} minutes at times; the ${workspace.plan.name} plan allows it at most every ${min} minutes (a weekly check is usual).`,
    );
  if (subset) checkSubset(subset);
  return { checkSchedule: schedule, checkReadDataSubset: subset };
}

function checkSubset(subset: string): void {
  const m = SUBSET.exec(subset);
  const bad = () =>
    invalidInput(
      "check.readDataSubset",
      `'${subset}' is not a part of the data restic can read back: use a percentage above 0 and at most 100 (10%), a part n/m with 1 ≤ n ≤ m (1/7), or a size (500M, 2G).`,
    );
  if (!m) throw bad();
  if (m[1] !== undefined && !(Number(m[1]) > 0 && Number(m[1]) <= 100)) throw bad();
  if (m[2] !== undefined && !(Number(m[2]) >= 1 && Number(m[2]) <= Number(m[3]))) throw bad();
  if (m[4] !== undefined && Number(m[4]) <= 0) throw bad();
}

/** The check in words, for the API and the dashboard. */
export function describeCheck(backup: Pick<BackupRecord, "checkSchedule" | "checkReadDataSubset" | "timeZone">): string {
  const when = describeSchedule(backup.checkSchedule!, backup.timeZone);
  return backup.checkReadDataSubset
    ? `${when}, reading back ${backup.checkReadDataSubset} of the data`
    : `${when}, checking the structure (no data read back)`;
}

export function nextCheck(backup: BackupRecord): Date | null {
  if (!backup.checkSchedule || backup.suspended) return null;
  const check = checkSchedule(backup.checkSchedule, backup.timeZone);
  return check.ok ? (nextRuns(check.expression, backup.timeZone, 1)[0] ?? null) : null;
}

/** The CronJob that runs the check, or undefined when the backup has none; its Jobs are labelled as verify runs. */
export function checkCronJob(
  backup: BackupRecord,
  spec: BackupSpec,
  options: TranslationOptions & { startingDeadlineSeconds: number },
): V1CronJob | undefined {
  if (!backup.checkSchedule || backup.format !== "RESTIC") return undefined;
  const name = checkCronJobNameFor(backup);
  if (name.length > MAX_CRON_JOB_NAME) throw new Error(`check CronJob name ${name} is too long`);
  const jobSpec = verifyJobSpec(spec, options, "latest");
  const container = jobSpec.template.spec!.containers[0]!;
  const subset: V1EnvVar[] = backup.checkReadDataSubset ? [{ name: "HKS_READ_DATA_SUBSET", value: backup.checkReadDataSubset }] : [];
  // restic's check reads the whole repository: no snapshot to name, a subset of the data instead.
  container.env = [...(container.env ?? []).filter((e) => e.name !== "HKS_SNAPSHOT"), ...subset];
  return cronJobManifest({
    name,
    namespace: spec.namespace,
    labels: backupLabels(spec, "verify"),
    schedule: backup.checkSchedule,
    timeZone: backup.timeZone,
    suspend: backup.suspended,
    // A check must not overlap a check; restic's own lock keeps it from clashing with a backup.
    concurrencyPolicy: "Forbid",
    startingDeadlineSeconds: options.startingDeadlineSeconds,
    jobSpec,
  });
}
