import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { backupRuns } from "./backups.js";
import { users, workspaces } from "./workspaces.js";

/**
 * The listing of one backup run's restic snapshot, read once (`restic ls --json` of the whole snapshot in one Job) so
 * that browsing its folders and searching it afterwards are database reads. A snapshot never changes: the rows stay
 * valid until retention prunes it.
 */
export const snapshotIndexes = pgTable("snapshot_indexes", {
  runId: uuid("run_id")
    .primaryKey()
    .references(() => backupRuns.id, { onDelete: "cascade" }),
  workspaceId: uuid("workspace_id")
    .notNull()
    .references(() => workspaces.id),
  /** INDEXING while the listing Job runs, READY, or FAILED with `message`. */
  state: text("state").notNull(),
  entryCount: integer("entry_count").notNull().default(0),
  message: text("message"),
  /** How long the listing took, from the Job's creation to the last row written. */
  durationMs: integer("duration_ms"),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});

export const snapshotEntries = pgTable(
  "snapshot_entries",
  {
    runId: uuid("run_id")
      .notNull()
      .references(() => snapshotIndexes.runId, { onDelete: "cascade" }),
    /** Absolute path inside the snapshot, e.g. /data/report.csv. */
    path: text("path").notNull(),
    /** The folder holding it: "/" for the snapshot's root. */
    parent: text("parent").notNull(),
    name: text("name").notNull(),
    /** file, dir, symlink, ... as restic names node types. */
    type: text("type").notNull(),
    size: bigint("size", { mode: "number" }).notNull().default(0),
    mtime: timestamp("mtime", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.path] }),
    // A folder's page, in name order.
    index("snapshot_entries_folder").on(t.runId, t.parent, t.name),
  ],
);

/** A short-lived, single-use ticket to download one file of a snapshot: a browser link cannot carry a bearer token. */
export const snapshotDownloads = pgTable(
  "snapshot_downloads",
  {
    /** sha256 of the token: the token itself is only ever in the link. */
    tokenHash: text("token_hash").primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    runId: uuid("run_id")
      .notNull()
      .references(() => backupRuns.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    size: bigint("size", { mode: "number" }).notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("snapshot_downloads_expiry").on(t.expiresAt)],
);
