import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces.js";

export const volumeStatusEnum = pgEnum("storage_volume_status", [
  "PROVISIONING",
  "AVAILABLE",
  "EXPANDING",
  "DELETING",
  "DELETED",
  "FAILED",
]);

export const storageVolumes = pgTable(
  "storage_volumes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    name: text("name").notNull(),
    sizeGiB: integer("size_gib").notNull(),
    status: volumeStatusEnum("status").notNull(),
    failureReason: text("failure_reason"),
    node: text("node"),
    storage: text("storage"),
    /** Decided before allocation so a resumed saga can find a disk it allocated but never recorded. */
    diskName: text("disk_name").notNull(),
    proxmoxVolumeId: text("proxmox_volume_id"),
    storageClassName: text("storage_class_name").notNull(),
    persistentVolumeName: text("persistent_volume_name").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A name is taken while its volume exists; a deleted or failed volume frees it.
    uniqueIndex("storage_volumes_live_name")
      .on(t.workspaceId, t.name)
      .where(sql`${t.status} not in ('DELETED', 'FAILED')`),
    // Serves the keyset-paginated list: (workspace, created_at, id) is its order and its cursor.
    index("storage_volumes_workspace").on(t.workspaceId, t.createdAt, t.id),
    // The Storage table's other orders (volume-page.repository.ts): each the sort expression then id, so a keyset
    // page is an index range. Usage and forecast orders sort the joined volume_usage rows instead: an index there
    // would be rewritten by every monitoring cycle, which updates those figures for every volume.
    index("storage_volumes_by_name").on(t.workspaceId, t.name, t.id),
    index("storage_volumes_by_size").on(t.workspaceId, t.sizeGiB, t.id),
    index("storage_volumes_by_status").on(t.workspaceId, t.status, t.id),
    index("storage_volumes_by_node").on(t.workspaceId, sql`coalesce(${t.node}, '')`, t.id),
  ],
);

export const operationKindEnum = pgEnum("volume_operation_kind", ["CREATE", "EXPAND", "DELETE"]);
export const operationStateEnum = pgEnum("volume_operation_state", ["RUNNING", "ROLLING_BACK", "SUCCEEDED", "FAILED"]);

/**
 * The saga journal: each step is written here before it is taken, so a restarted server
 * can resume a RUNNING operation or finish rolling back a ROLLING_BACK one.
 */
export const volumeOperations = pgTable(
  "volume_operations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    volumeId: uuid("volume_id")
      .notNull()
      .references(() => storageVolumes.id),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    kind: operationKindEnum("kind").notNull(),
    state: operationStateEnum("state").notNull(),
    step: text("step").notNull(),
    /** Facts gathered along the way (e.g. the holder VM slot used for a resize). */
    progress: jsonb("progress").$type<Record<string, unknown>>().notNull().default({}),
    fromSizeGiB: integer("from_size_gib"),
    toSizeGiB: integer("to_size_gib"),
    idempotencyKey: text("idempotency_key"),
    requestedBy: uuid("requested_by"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    /** The instance running the operation; another takes it over only once the lease has expired. */
    owner: text("owner"),
    leaseExpiresAt: timestamp("lease_expires_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("volume_operations_idempotency").on(t.workspaceId, t.kind, t.idempotencyKey),
    index("volume_operations_open")
      .on(t.state)
      .where(sql`${t.state} in ('RUNNING', 'ROLLING_BACK')`),
    // At most one unfinished operation per volume: the database, not a race, decides who goes first.
    uniqueIndex("volume_operations_one_open_per_volume")
      .on(t.volumeId)
      .where(sql`${t.state} in ('RUNNING', 'ROLLING_BACK')`),
  ],
);
