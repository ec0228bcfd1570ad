import { index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { storageVolumes, volumeOperations } from "./volumes.js";
import { workspaces } from "./workspaces.js";

export const ledgerKindEnum = pgEnum("billing_entry_kind", ["VOLUME_PROVISIONED", "VOLUME_EXPANDED", "VOLUME_RELEASED"]);

/**
 * The workspace's storage bill as an append-only ledger of changes to its monthly rate.
 * One entry per saga operation at most (unique operation_id): a retried step cannot charge twice.
 */
export const billingLedger = pgTable(
  "billing_ledger",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    volumeId: uuid("volume_id")
      .notNull()
      .references(() => storageVolumes.id),
    operationId: uuid("operation_id")
      .notNull()
      .references(() => volumeOperations.id),
    kind: ledgerKindEnum("kind").notNull(),
    sizeDeltaGiB: integer("size_delta_gib").notNull(),
    /** Change of the monthly charge, in minor units. */
    monthlyCentsDelta: integer("monthly_cents_delta").notNull(),
    currency: text("currency").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("billing_ledger_operation").on(t.operationId), index("billing_ledger_workspace").on(t.workspaceId)],
);
