import { sql } from "drizzle-orm";
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { storageVolumes } from "./volumes.js";
import { workspaces } from "./workspaces.js";

/**
 * What a volume held over time, one row per monitoring cycle: the usage chart reads it, and the forecast takes samples
 * out of its window with it. A log written in bulk, one row per volume every cycle: without foreign keys, whose
 * per-row checks cost several times the insert itself (the agent writes only ids it has just read from
 * storage_volumes, whose rows are never deleted).
 */
export const capacitySamples = pgTable(
  "capacity_samples",
  {
    volumeId: uuid("volume_id").notNull(),
    workspaceId: uuid("workspace_id").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    usedBytes: bigint("used_bytes", { mode: "number" }).notNull(),
    capacityBytes: bigint("capacity_bytes", { mode: "number" }).notNull(),
  },
  // The hourly prune of samples past a month finds them by time: a BRIN index, since rows arrive in time order (a few
  // pages of summaries, next to nothing to keep up per insert), instead of a scan of the whole log by every replica.
  (t) => [index("capacity_samples_volume_at").on(t.volumeId, t.at), index("capacity_samples_at").using("brin", t.at)],
);

/**
 * Each volume's latest usage and forecast, one row per volume, written by the StorageWorkerAgent in the same cycle
 * (and transaction) as its sample: what a volume's `usage` reads, one row however long the history. The trend columns
 * are the forecast's least-squares sums over the volume's samples since `window_from` at its current capacity (x in
 * seconds since `window_from`, y in bytes over `trend_base_bytes`; see forecast.ts), kept up to date as samples enter
 * and leave the window, so no cycle and no request reads the window's history.
 */
export const volumeUsage = pgTable("volume_usage", {
  volumeId: uuid("volume_id")
    .primaryKey()
    .references(() => storageVolumes.id),
  workspaceId: uuid("workspace_id")
    .notNull()
    .references(() => workspaces.id),
  sampledAt: timestamp("sampled_at", { withTimezone: true }).notNull(),
  usedBytes: bigint("used_bytes", { mode: "number" }).notNull(),
  capacityBytes: bigint("capacity_bytes", { mode: "number" }).notNull(),
  estimatedFullAt: timestamp("estimated_full_at", { withTimezone: true }),
  windowFrom: timestamp("window_from", { withTimezone: true }).notNull(),
  trendBaseBytes: bigint("trend_base_bytes", { mode: "number" }).notNull(),
  trendSamples: integer("trend_samples").notNull(),
  trendSumX: doublePrecision("trend_sum_x").notNull(),
  trendSumY: doublePrecision("trend_sum_y").notNull(),
  trendSumXY: doublePrecision("trend_sum_xy").notNull(),
  trendSumXX: doublePrecision("trend_sum_xx").notNull(),
  /** What `estimatedFullAt` rests on: the Backups' projection or the usage trend; null when there is no forecast. */
  forecastSource: text("forecast_source").$type<"BACKUPS" | "TREND">(),
  /** For a projection: the first run that will not fit (ISO time, Backup, what it needs and what will be free). */
  forecastFailure: jsonb("forecast_failure").$type<ForecastFailure>(),
});

export interface ForecastFailure {
  at: string;
  backupId: string;
  label: string;
  timeZone: string;
  neededBytes: number;
  freeBytes: number;
}

export const alertLevelEnum = pgEnum("capacity_alert_level", ["WARNING", "CRITICAL", "FORECAST"]);
export const alertStateEnum = pgEnum("capacity_alert_state", ["OPEN", "RESOLVED"]);

/**
 * A volume running out of room: raised when usage crosses the workspace's threshold, escalated at 95%
 * or when the forecast says it fills within a day, resolved when usage falls back under the threshold
 * (with hysteresis). One open alert per volume at a time.
 */
export const capacityAlerts = pgTable(
  "capacity_alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    volumeId: uuid("volume_id")
      .notNull()
      .references(() => storageVolumes.id),
    state: alertStateEnum("state").notNull(),
    level: alertLevelEnum("level").notNull(),
    thresholdPercent: integer("threshold_percent").notNull(),
    percent: doublePrecision("percent").notNull(),
    usedBytes: bigint("used_bytes", { mode: "number" }).notNull(),
    capacityBytes: bigint("capacity_bytes", { mode: "number" }).notNull(),
    estimatedFullAt: timestamp("estimated_full_at", { withTimezone: true }),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull(),
    escalatedAt: timestamp("escalated_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("capacity_alerts_one_open")
      .on(t.volumeId)
      .where(sql`${t.state} = 'OPEN'`),
    index("capacity_alerts_workspace").on(t.workspaceId, t.raisedAt),
  ],
);

export const agentEnum = pgEnum("aiops_agent", ["STORAGE_WORKER", "ORCHESTRATION", "USER_CHAT"]);

/**
 * The hand-offs between the agents (spec 5), as an outbox each agent reads: written in the same
 * transaction as what caused it, handled in the same transaction as what it causes, and unique by
 * `dedupeKey`, so a restart neither loses an alert nor sends one twice. Operators read it as a log.
 */
export const agentEvents = pgTable(
  "agent_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    fromAgent: agentEnum("from_agent").notNull(),
    toAgent: agentEnum("to_agent").notNull(),
    kind: text("kind").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    handledAt: timestamp("handled_at", { withTimezone: true }),
    outcome: text("outcome"),
  },
  (t) => [
    uniqueIndex("agent_events_dedupe").on(t.toAgent, t.dedupeKey),
    index("agent_events_inbox")
      .on(t.toAgent, t.createdAt)
      .where(sql`${t.handledAt} is null`),
  ],
);

export const messageAuthorEnum = pgEnum("assistant_message_author", ["ASSISTANT", "USER"]);

export interface ProposalRecord {
  kind: "EXPAND_VOLUME";
  volumeId: string;
  volumeName: string;
  fromSizeGiB: number;
  suggestedSizeGiB: number;
  state: "PENDING" | "ACCEPTED" | "DECLINED" | "STALE" | "SUCCEEDED" | "FAILED";
  alertId?: string;
  resolvedBy?: string;
  sizeGiB?: number;
  /** For a run that did not fit: the other fixes the admin may choose instead of the expansion, each checked to work. */
  remedies?: RemedyRecord[];
  /** The fix the admin chose, when it was not the expansion. */
  applied?: RemedyRecord["kind"];
  /** False when the volume cannot be expanded now and only the other fixes are offered. */
  expandable?: boolean;
}

/** `label` is the button's words: "Keep the last 2 (frees 1.2 GiB)". */
export type RemedyRecord =
  | {
      kind: "LOWER_RETENTION";
      label: string;
      backupId: string;
      backupName: string;
      keepLast: number;
      fromKeepLast?: number;
      freesBytes: number;
    }
  | {
      kind: "MOVE_BACKUP";
      label: string;
      backupId: string;
      backupName: string;
      toVolumeId: string;
      toVolumeName: string;
      freeBytes: number;
    };

/** The workspace's conversation with the assistant (UserChatAgent), kept for every admin to read. */
export const assistantMessages = pgTable(
  "assistant_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    author: messageAuthorEnum("author").notNull(),
    userId: uuid("user_id"),
    text: text("text").notNull(),
    proposal: jsonb("proposal").$type<ProposalRecord>(),
    /** The agent event that made the assistant say this: one message per event, however often it is handled. */
    eventId: uuid("event_id").references(() => agentEvents.id),
    /** The user whose message this assistant message answers: it is no news to them, so never unread for them. */
    answersUserId: uuid("answers_user_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("assistant_messages_event").on(t.eventId), index("assistant_messages_workspace").on(t.workspaceId, t.createdAt)],
);

/** How far each user has read a workspace's conversation: unread counts follow the person, not the browser. */
export const assistantReadMarkers = pgTable(
  "assistant_read_markers",
  {
    userId: uuid("user_id").notNull(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id),
    lastReadAt: timestamp("last_read_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.workspaceId] })],
);
