import { bigserial, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Every event published to subscribers, kept for a while: NOTIFY tells the instances one was added, and an
 * instance whose LISTEN connection dropped reads back what it missed from here, so no subscriber loses one.
 */
export const pubsubEvents = pgTable(
  "pubsub_events",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    topic: text("topic").notNull(),
    key: text("key").notNull(),
    payload: jsonb("payload").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("pubsub_events_created_at").on(t.createdAt)],
);
