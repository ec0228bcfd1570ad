import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users, workspaces } from "./workspaces.js";

/**
 * Each workspace's restic repository password, envelope-encrypted: `ciphertext` is the password under a random data
 * key (AES-256-GCM), `wrappedDataKey` that data key under the server's HKS_KEY_ENCRYPTION_KEY. Never in clear.
 */
export const repositoryKeys = pgTable("repository_keys", {
  workspaceId: uuid("workspace_id")
    .primaryKey()
    .references(() => workspaces.id),
  wrappedDataKey: text("wrapped_data_key").notNull(),
  ciphertext: text("ciphertext").notNull(),
  /** GENERATED, or ADOPTED from the Secret found in the vCluster when the database had none. */
  origin: text("origin").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Who took the key out of HKS, and when. */
export const repositoryKeyExports = pgTable(
  "repository_key_exports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    userEmail: text("user_email").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("repository_key_exports_workspace").on(t.workspaceId, t.createdAt)],
);
