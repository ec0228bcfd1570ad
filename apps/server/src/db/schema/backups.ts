import { sql } from "drizzle-orm";
import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { applications } from "./applications.js";
import { storageVolumes } from "./volumes.js";
import { workspaces } from "./workspaces.js";

export const backupFunctionKindEnum = pgEnum("backup_function_kind", ["TAR", "RSYNC", "PG_DUMP", "MYSQLDUMP", "CUSTOM"]);
/** RESTIC: a restic repository (deduplicated, compressed, encrypted with the workspace's key); PLAIN: tar/rsync/dump files. */
export const backupFormatEnum = pgEnum("backup_format", ["RESTIC", "PLAIN"]);
export const concurrencyPolicyEnum = pgEnum("backup_concurrency_policy", ["FORBID", "ALLOW", "REPLACE"]);

export interface BackupFunctionParams {
  compression?: "GZIP" | "ZSTD";
  image?: string;
  script?: string;
  database?: { host: string; port: number; name: string; user: string; passwordSecretName: string; passwordSecretKey: string };
}

export interface RetentionPolicy {
  keepLast?: number | null;
  keepDaily?: number | null;
  keepWeekly?: number | null;
  keepMonthly?: number | null;
}

/** A Backup (spec 3.2) is desired state; the reconciler makes the vCluster's CronJob match it. */
export const backups = pgTable(
  "backups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    name: text("name").notNull(),
    schedule: text("schedule").notNull(),
    timeZone: text("time_zone").notNull(),
    /** The source PVC; null for database functions, whose source is the database. */
    sourcePvcName: text("source_pvc_name"),
    destinationVolumeId: uuid("destination_volume_id")
      .notNull()
      .references(() => storageVolumes.id),
    destinationPath: text("destination_path").notNull(),
    functionKind: backupFunctionKindEnum("function_kind").notNull(),
    /** Backups made before restic stay PLAIN; the service makes new ones RESTIC unless told otherwise. */
    format: backupFormatEnum("format").notNull().default("PLAIN"),
    functionParams: jsonb("function_params").$type<BackupFunctionParams>().notNull().default({}),
    retention: jsonb("retention").$type<RetentionPolicy>().notNull().default({}),
    suspended: boolean("suspended").notNull().default(false),
    concurrencyPolicy: concurrencyPolicyEnum("concurrency_policy").notNull().default("FORBID"),
    verifyAfterRun: boolean("verify_after_run").notNull().default(false),
    /** RESTIC: when `restic check` runs on its own CronJob (cron, in timeZone); null: no scheduled check. */
    checkSchedule: text("check_schedule"),
    /** How much of the data that check reads back (`--read-data-subset`: 10%, 1/7, 500M); null: the structure only. */
    checkReadDataSubset: text("check_read_data_subset"),
    /** The off-node copy (3-2-1): a volume of the workspace on another Proxmox node, and the repository's folder in it. */
    copyVolumeId: uuid("copy_volume_id").references(() => storageVolumes.id),
    copyPath: text("copy_path"),
    /** Runs that finished after this are copied; earlier ones predate the copy destination. */
    copySince: timestamp("copy_since", { withTimezone: true }),
    cronJobName: text("cron_job_name").notNull(),
    /** Hash of the CronJob last applied; the reconciler writes only when the desired one differs. */
    appliedHash: text("applied_hash"),
    reconcileError: text("reconcile_error"),
    /** Scheduled times up to here have been checked for runs that never happened. */
    missedCheckedUntil: timestamp("missed_checked_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("backups_live_name")
      .on(t.applicationId, t.name)
      .where(sql`${t.deletedAt} is null`),
    index("backups_workspace").on(t.workspaceId),
    // Restore points are listed per application and per volume, deleted Backups included.
    index("backups_application").on(t.applicationId),
    index("backups_destination_volume").on(t.destinationVolumeId),
  ],
);

export const backupRunKindEnum = pgEnum("backup_run_kind", ["BACKUP", "RESTORE", "VERIFY"]);
export const backupRunTriggerEnum = pgEnum("backup_run_trigger", ["SCHEDULE", "MANUAL"]);
export const backupRunStatusEnum = pgEnum("backup_run_status", [
  "SCHEDULED",
  "RUNNING",
  "SUCCEEDED",
  "PARTIALLY_SUCCEEDED",
  "FAILED",
  "MISSED",
]);
export const backupFailureReasonEnum = pgEnum("backup_failure_reason", [
  "QUOTA_EXCEEDED",
  "SOURCE_MISSING",
  "TIMEOUT",
  "UNSCHEDULABLE",
  "KEY_INVALID",
  "CORRUPT",
  "ERROR",
]);
/** A successful run's off-node copy; null when the Backup has no copy destination. */
export const backupCopyStatusEnum = pgEnum("backup_copy_status", ["PENDING", "COPYING", "COPIED", "FAILED"]);
export const verifyStateEnum = pgEnum("backup_verify_state", ["NOT_VERIFIED", "VERIFYING", "VERIFIED", "FAILED"]);

/** Our own history of runs: Jobs are pruned by their history limits and TTL, these rows are not. */
export const backupRuns = pgTable(
  "backup_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    backupId: uuid("backup_id")
      .notNull()
      .references(() => backups.id),
    kind: backupRunKindEnum("kind").notNull(),
    trigger: backupRunTriggerEnum("trigger").notNull(),
    status: backupRunStatusEnum("status").notNull(),
    failureReason: backupFailureReasonEnum("failure_reason"),
    message: text("message"),
    /** The Kubernetes Job that carries the run; null for a missed run, which had none. */
    jobName: text("job_name"),
    podName: text("pod_name"),
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    bytesWritten: bigint("bytes_written", { mode: "number" }),
    files: integer("files"),
    snapshot: text("snapshot"),
    /** When retention removed this run's snapshot from the volume. */
    prunedAt: timestamp("pruned_at", { withTimezone: true }),
    verifyState: verifyStateEnum("verify_state").notNull().default("NOT_VERIFIED"),
    /** For RESTORE and VERIFY runs: the backup run they act on. */
    sourceRunId: uuid("source_run_id"),
    restoreTarget: text("restore_target"),
    result: jsonb("result").$type<Record<string, unknown>>(),
    copyStatus: backupCopyStatusEnum("copy_status"),
    /** Why the copy failed (or what it did), in a sentence. */
    copyMessage: text("copy_message"),
    /** The copy Job (also the name of its serving pod and credentials Secret). */
    copyJobName: text("copy_job_name"),
    copyStartedAt: timestamp("copy_started_at", { withTimezone: true }),
    copiedAt: timestamp("copied_at", { withTimezone: true }),
    /** For RESTORE runs: which repository the snapshot was read from (PRIMARY or COPY). */
    restoreSource: text("restore_source"),
    /** The pod's log, kept when the run ends because the pod will be deleted. */
    logs: text("logs"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("backup_runs_job").on(t.workspaceId, t.jobName),
    uniqueIndex("backup_runs_missed")
      .on(t.backupId, t.scheduledAt)
      .where(sql`${t.status} = 'MISSED'`),
    index("backup_runs_backup").on(t.backupId, t.createdAt),
    // A restore point is a successful BACKUP run with a snapshot that retention has not removed.
    index("backup_runs_restore_points")
      .on(t.backupId, t.finishedAt)
      .where(
        sql`${t.kind} = 'BACKUP' and ${t.snapshot} is not null and ${t.prunedAt} is null and ${t.status} in ('SUCCEEDED', 'PARTIALLY_SUCCEEDED')`,
      ),
  ],
);

export const backupEventKindEnum = pgEnum("backup_event_kind", ["RUN_FAILED", "QUOTA_EXCEEDED", "RUN_MISSED"]);

/** Facts about backups that others act on (the monitoring agents turn QUOTA_EXCEEDED into a notification). */
export const backupEvents = pgTable(
  "backup_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    backupId: uuid("backup_id")
      .notNull()
      .references(() => backups.id),
    runId: uuid("run_id").references(() => backupRuns.id),
    kind: backupEventKindEnum("kind").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    handledAt: timestamp("handled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("backup_events_run_kind").on(t.runId, t.kind),
    index("backup_events_open")
      .on(t.workspaceId)
      .where(sql`${t.handledAt} is null`),
  ],
);
