import { pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces.js";

/** An application of a workspace, living in one namespace of the workspace's vCluster. */
export const applications = pgTable(
  "applications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    name: text("name").notNull(),
    namespace: text("namespace").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("applications_workspace_name").on(t.workspaceId, t.name)],
);

/** Claims an admin chose to leave without a backup: the application no longer flags them. */
export const dismissedClaims = pgTable(
  "dismissed_claims",
  {
    applicationId: uuid("application_id")
      .notNull()
      .references(() => applications.id),
    claimName: text("claim_name").notNull(),
    dismissedBy: uuid("dismissed_by").notNull(),
    dismissedAt: timestamp("dismissed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.applicationId, t.claimName] })],
);
