import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../test/harness.js";
import { createPostgresPubSub } from "./pubsub-postgres.js";

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let a: Awaited<ReturnType<typeof createPostgresPubSub>>;
let b: Awaited<ReturnType<typeof createPostgresPubSub>>;

beforeAll(async () => {
  db = await createTestDatabase();
  a = await createPostgresPubSub(db.url);
  b = await createPostgresPubSub(db.url);
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
});
