import postgres from "postgres";
import { createPubSub } from "@graphql-yoga/subscription";
import type { AppPubSub as PubSub, Topics } from "../modules/topics.js";

const CHANNEL = "hks_events";
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
/** NOTIFY payloads stop at 8000 bytes: bigger events travel as their sequence number and are read from the table. */
const INLINE_LIMIT = 7000;
/** How far back (in sequence numbers) a reconnected listener looks for events committed out of order. */
const CATCH_UP_WINDOW = 1000;
/** Sequence numbers remembered as delivered, to drop the duplicates a catch-up read overlaps with. */
const REMEMBERED = 20_000;

type Listener = (event: CustomEvent) => void;
type Event = { type: string; detail: unknown };

export interface PostgresPubSubOptions {
  /** Events are kept this long for instances that reconnect; older ones are pruned. */
  retentionMs?: number;
  /** Names this instance's connections in pg_stat_activity. */
  instanceId?: string;
  onError?: (message: string, error: unknown) => void;
}

/**
 * Pub/sub across server instances through PostgreSQL. Publishing writes the event to `pubsub_events`
 * and NOTIFYs every instance in the same statement; PostgreSQL delivers notifications in commit order,
 * so every instance (this one included) hands events to its subscribers in the same order. When an
 * instance's LISTEN connection drops and comes back, it reads the events it missed from the table, so
 * a database restart or a network blip loses none. Payloads are JSON; timestamps come back as Dates.
 */
export async function createPostgresPubSub(
  url: string,
  options: PostgresPubSubOptions = {},
): Promise<{ pubsub: PubSub; close(): Promise<void> }> {
  // One connection publishes, so this instance's events are committed (and delivered) in the order they were published.
  const sql = postgres(url, {
    max: 1,
    onnotice: () => undefined,
    connection: { application_name: `hks-pubsub ${options.instanceId ?? ""}`.trim() },
  });
  const listeners = new Map<string, Set<Listener>>();
  const delivered = new Set<number>();
  // Start from the newest event: a new instance's subscribers want what happens from now on. Events up to
  // here are never delivered, not even by a catch-up.
  const [latest] = await sql<{ seq: string | null }[]>`select max(seq) as seq from pubsub_events`;
  const startSeq = Number(latest?.seq ?? 0);
  let highestSeq = startSeq;

  const deliver = (seq: number, event: Event) => {
    if (delivered.has(seq)) return;
    delivered.add(seq);
    if (delivered.size > REMEMBERED) delivered.delete(delivered.values().next().value!);
    highestSeq = Math.max(highestSeq, seq);
    for (const listener of listeners.get(event.type) ?? []) listener(new CustomEvent(event.type, { detail: event.detail }));
  };

  const read = async (where: postgres.PendingQuery<postgres.Row[]>) => {
    const rows = await sql<{ seq: string; topic: string; payload: string }[]>`
      select seq, topic, payload::text as payload from pubsub_events where ${where} order by seq`;
    for (const row of rows) deliver(Number(row.seq), { type: row.topic, detail: revive(row.payload) });
  };

  // Serialised, so an event read back from the table and one arriving by NOTIFY keep their order.
  let queue = Promise.resolve();
  const enqueue = (fn: () => Promise<void> | void) => {
    queue = queue.then(fn).catch(() => undefined);
  };

  const target = {
    addEventListener(type: string, listener: Listener) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(listener);
    },
    removeEventListener(type: string, listener: Listener) {
      const set = listeners.get(type);
      set?.delete(listener);
      if (set?.size === 0) listeners.delete(type);
    },
    dispatchEvent(event: CustomEvent) {
      const key = event.type.slice(event.type.indexOf(":") + 1);
      void sql`
        with e as (
          insert into pubsub_events (topic, key, payload)
          values (${event.type}, ${key}, ${sql.json(toJson(event.detail))})
          returning seq, topic, payload
        )
        select pg_notify(${CHANNEL},
          case when octet_length(payload::text) < ${INLINE_LIMIT}
            then json_build_object('seq', seq, 'type', topic, 'detail', payload)::text
            else json_build_object('seq', seq)::text end)
        from e`.catch((error: unknown) => options.onError?.("an event could not be published", error));
      return true;
    },
  };

  const subscription = await sql.listen(
    CHANNEL,
    (message) => {
      const { seq, type, detail } = revive(message) as { seq: number; type?: string; detail?: unknown };
      enqueue(async () => {
        // A gap before this event means notifications were missed (the LISTEN connection came back, and this one
        // arrived before the catch-up): deliver the missing ones first, from the table, in order. (A gap can also
        // be a transaction not committed yet; its own notification delivers it when it commits.)
        if (seq > highestSeq + 1) await read(sql`seq > ${highestSeq} and seq < ${seq}`);
        if (type === undefined) await read(sql`seq = ${seq}`);
        else deliver(seq, { type, detail });
      });
    },
    () => {
      // Called on the first LISTEN and after every reconnect: catch up on what was committed while not listening.
      enqueue(() => read(sql`seq > ${Math.max(startSeq, highestSeq - CATCH_UP_WINDOW)}`));
    },
  );

  const retentionMs = options.retentionMs ?? 60 * 60 * 1000;
  const pruning = setInterval(
    () => {
      void sql`delete from pubsub_events where created_at < now() - ${retentionMs} * interval '1 millisecond'`.catch(() => undefined);
    },
    Math.min(retentionMs, 10 * 60 * 1000),
  );
  pruning.unref();

  const pubsub = createPubSub<Topics>({ eventTarget: target as never });
  return {
    pubsub,
    async close() {
      clearInterval(pruning);
      await subscription.unlisten();
      await queue;
      await sql.end({ timeout: 5 });
    },
  };
}

const revive = (json: string): unknown =>
  JSON.parse(json, (_key, value: unknown) => (typeof value === "string" && ISO_DATE.test(value) ? new Date(value) : value));

/** The JSON form of a payload (Dates as ISO strings), which is also how it comes back out of jsonb. */
const toJson = (value: unknown): postgres.JSONValue => JSON.parse(JSON.stringify(value ?? null)) as postgres.JSONValue;
