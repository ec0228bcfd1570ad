import postgres from "postgres";
import { createPubSub } from "@graphql-yoga/subscription";
import type { PubSub, Topics } from "./pubsub.js";

const CHANNEL = "hks_events";
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

type Listener = (event: CustomEvent) => void;

/**
 * Pub/sub across server instances through PostgreSQL LISTEN/NOTIFY: every event is sent to the
 * database and delivered by it to every instance, this one included, so all subscribers see the
 * same events in the same order. Payloads are JSON; timestamps come back as Dates.
 */
export async function createPostgresPubSub(url: string): Promise<{ pubsub: PubSub; close(): Promise<void> }> {
  // One connection sends every NOTIFY, so events leave in the order they were published (LISTEN has its own).
  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  const listeners = new Map<string, Set<Listener>>();
  const target = {
    addEventListener(type: string, listener: Listener) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(listener);
    },
    removeEventListener(type: string, listener: Listener) {
      listeners.get(type)?.delete(listener);
    },
    dispatchEvent(event: CustomEvent) {
      void sql.notify(CHANNEL, JSON.stringify({ type: event.type, detail: event.detail }));
      return true;
    },
  };
  const subscription = await sql.listen(CHANNEL, (message) => {
    const { type, detail } = JSON.parse(message, (_key, value: unknown) => (typeof value === "string" && ISO_DATE.test(value) ? new Date(value) : value)) as {
      type: string;
      detail: unknown;
    };
    for (const listener of listeners.get(type) ?? []) listener(new CustomEvent(type, { detail }));
  });
  const pubsub = createPubSub<Topics>({ eventTarget: target as never });
  return {
    pubsub,
    async close() {
      await subscription.unlisten();
      await sql.end({ timeout: 5 });
    },
  };
}
