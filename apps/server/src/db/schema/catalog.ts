import { index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { storageVolumes } from "./volumes.js";
import { workspaces } from "./workspaces.js";

/** RESCAN: rebuild a volume's restore points from its repositories; FORGET: remove a deleted Backup's snapshots. */
export const catalogJobKindEnum = pgEnum("catalog_job_kind", ["RESCAN", "FORGET"]);
export const catalogJobStatusEnum = pgEnum("catalog_job_status", ["SCHEDULED", "RUNNING", "SUCCEEDED", "FAILED"]);

/** What the catalog of restore points changed after a rescan, in numbers a person can read. */
export interface CatalogOutcome {
  repositories?: number;
  snapshots?: number;
  recorded?: number;
  recoveredBackups?: number;
  pruned?: number;
  unassigned?: number;
  unreadable?: Array<{ path: string; error: string }>;
}

/** Jobs that keep the catalog of restore points (backup_runs) true to the repositories on a volume. */
export const catalogJobs = pgTable(
  "catalog_jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    kind: catalogJobKindEnum("kind").notNull(),
    volumeId: uuid("volume_id")
      .notNull()
      .references(() => storageVolumes.id),
    /** For FORGET: the deleted Backup whose snapshots go (no foreign key: a rescan may find its row gone). */
    backupId: uuid("backup_id"),
    namespace: text("namespace").notNull(),
    claimName: text("claim_name").notNull(),
    jobName: text("job_name").notNull(),
    status: catalogJobStatusEnum("status").notNull(),
    message: text("message"),
    outcome: jsonb("outcome").$type<CatalogOutcome>(),
    requestedBy: uuid("requested_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("catalog_jobs_volume").on(t.volumeId, t.createdAt)],
);
