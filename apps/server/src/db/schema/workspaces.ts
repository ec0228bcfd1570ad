import { boolean, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const plans = pgTable("plans", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  /** Only a Dedicated Plan grants dedicated hardware, and so storage volumes (spec 2). */
  dedicated: boolean("dedicated").notNull(),
  storageCeilingGiB: integer("storage_ceiling_gib").notNull(),
  /** Price in the currency's minor unit (cents) per GiB-month, so sums stay exact. */
  priceCentsPerGiBMonth: integer("price_cents_per_gib_month").notNull(),
  currency: text("currency").notNull(),
  /** The shortest interval between scheduled backups the plan allows. */
  minBackupIntervalMinutes: integer("min_backup_interval_minutes").notNull().default(60),
});

export const workspaces = pgTable("workspaces", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  planId: text("plan_id")
    .notNull()
    .references(() => plans.id),
  /** The vCluster that backs the workspace; its kubeconfig is looked up by this name. */
  vclusterName: text("vcluster_name").notNull(),
  /** Kubernetes namespaces of the workspace's applications, as known to HKS. */
  namespaces: text("namespaces").array().notNull().default([]),
  /** Usage share of a volume at which the assistant warns the admins (spec 5: e.g. 85%). */
  capacityAlertPercent: integer("capacity_alert_percent").notNull().default(85),
  /** How many days of projected need the assistant sizes a proposed expansion for (issue 12: default 90). */
  forecastDays: integer("forecast_days").notNull().default(90),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  /** scrypt hash for lab sign-in; null for users who only come through OIDC. */
  passwordHash: text("password_hash"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const roleEnum = pgEnum("workspace_role", ["ADMIN", "MEMBER"]);

export const memberships = pgTable(
  "memberships",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.workspaceId] })],
);
