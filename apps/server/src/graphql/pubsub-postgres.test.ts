import os from "node:os";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../db/client.js";
import { createTestDatabase, eventually } from "../test/harness.js";
import { createPostgresPubSub } from "./pubsub-postgres.js";

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let a: Awaited<ReturnType<typeof createPostgresPubSub>>;
let b: Awaited<ReturnType<typeof createPostgresPubSub>>;

beforeAll(async () => {
  db = await createTestDatabase();
  await (await openDatabase({ url: db.url, dataDir: os.tmpdir() })).close();
  a = await createPostgresPubSub(db.url, { instanceId: "a" });
  b = await createPostgresPubSub(db.url, { instanceId: "b" });
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await db?.drop();
});

describe("pub/sub through PostgreSQL LISTEN/NOTIFY", () => {
  it("delivers an event published on instance A to a subscriber on instance B, in order, with its timestamps", async () => {
    const received: Array<{ name: string; updatedAt: Date }> = [];
    const iterator = b.pubsub.subscribe("STORAGE_VOLUME_CHANGED", "ws-1")[Symbol.asyncIterator]();
    const other = b.pubsub.subscribe("STORAGE_VOLUME_CHANGED", "ws-2")[Symbol.asyncIterator]();
    const reading = (async () => {
      for (let i = 0; i < 3; i++) received.push((await iterator.next()).value as never);
    })();
    await new Promise((r) => setTimeout(r, 100));
    const at = new Date("2026-11-26T12:00:00.000Z");
    for (const name of ["first", "second", "third"]) {
      a.pubsub.publish("STORAGE_VOLUME_CHANGED", "ws-1", { name, updatedAt: at } as never);
    }
    await reading;
    expect(received.map((v) => v.name)).toEqual(["first", "second", "third"]);
    expect(received[0]!.updatedAt).toBeInstanceOf(Date);
    expect(received[0]!.updatedAt.getTime()).toBe(at.getTime());
    // A subscriber of another workspace hears nothing of it.
    const nothing = await Promise.race([other.next().then(() => "event"), new Promise((r) => setTimeout(() => r("silence"), 300))]);
    expect(nothing).toBe("silence");
    await iterator.return?.();
    await other.return?.();
  });

  it("loses nothing when the subscriber's instance loses its LISTEN connection, and keeps the order", async () => {
    const iterator = b.pubsub.subscribe("STORAGE_VOLUME_CHANGED", "ws-3")[Symbol.asyncIterator]();
    const received: string[] = [];
    const reading = (async () => {
      while (received.length < 200) received.push(((await iterator.next()).value as { name: string }).name);
    })();
    await new Promise((r) => setTimeout(r, 100));
    const admin = postgres(db.url, { max: 1, onnotice: () => undefined });
    try {
      for (let i = 0; i < 200; i++) {
        a.pubsub.publish("STORAGE_VOLUME_CHANGED", "ws-3", { name: `v${i}` } as never);
        if (i === 80) {
          // B's LISTEN session dies (a failover, a proxy timeout) while A goes on publishing.
          const killed =
            await admin`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'hks-pubsub b' and query ilike 'listen%'`;
          expect(killed).toHaveLength(1);
        }
        if (i % 20 === 0) await new Promise((r) => setTimeout(r, 10));
      }
      await eventually(async () => (received.length === 200 ? true : undefined), "every event to reach B");
      expect(received).toEqual(Array.from({ length: 200 }, (_, i) => `v${i}`));
    } finally {
      await admin.end();
      await iterator.return?.();
      await reading.catch(() => undefined);
    }
  });

  it("carries events too big for a NOTIFY, and keeps delivering across a restart of the publishing instance", async () => {
    const iterator = b.pubsub.subscribe("ASSISTANT_MESSAGE_ADDED", "ws-4")[Symbol.asyncIterator]();
    const received: Array<{ text: string }> = [];
    const reading = (async () => {
      while (received.length < 3) received.push((await iterator.next()).value as never);
    })();
    await new Promise((r) => setTimeout(r, 100));
    const long = "x".repeat(20_000);
    a.pubsub.publish("ASSISTANT_MESSAGE_ADDED", "ws-4", { text: "before" } as never);
    a.pubsub.publish("ASSISTANT_MESSAGE_ADDED", "ws-4", { text: long } as never);
    await a.close();
    a = await createPostgresPubSub(db.url, { instanceId: "a" });
    a.pubsub.publish("ASSISTANT_MESSAGE_ADDED", "ws-4", { text: "after" } as never);
    await reading;
    expect(received.map((m) => (m.text.length > 100 ? `${m.text.length} chars` : m.text))).toEqual(["before", "20000 chars", "after"]);
    await iterator.return?.();
  });
});
