import { bigint, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces.js";

/** Server replicas that run background work, each beating its heart here; a stale heartbeat means a dead replica. */
export const replicas = pgTable("replicas", {
  instanceId: text("instance_id").primaryKey(),
  startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
  heartbeatAt: timestamp("heartbeat_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Which replica runs a workspace's background work. `token` grows on every change of hands: a write that matters
 * checks (owner, token) under a row lock, so a replica whose lease lapsed or moved can no longer act on the workspace.
 */
export const workspaceLeases = pgTable(
  "workspace_leases",
  {
    workspaceId: uuid("workspace_id")
      .primaryKey()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    owner: text("owner").notNull(),
    token: bigint("token", { mode: "number" }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acquiredAt: timestamp("acquired_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("workspace_leases_owner").on(t.owner)],
);
