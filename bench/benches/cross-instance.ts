/**
 * cross-instance: an event published on instance A reaches a graphql-ws subscriber connected to instance B
 * through PostgreSQL (event table + NOTIFY). Instance B is the built server in its own process; instance A
 * publishes through the same pub/sub module the server uses. Latency is from A's publish call to the
 * subscriber's receipt (one clock: one machine). For comparison, the same events published on B itself.
 */
import "reflect-metadata";
import { createClient } from "graphql-ws";
import WebSocket from "ws";
import { createPostgresPubSub } from "../../apps/server/src/graphql/pubsub-postgres.js";
import { report } from "../lib/result.js";
import { createDatabase, signIn, startServer, workspaceId } from "../lib/server.js";
import { ms, percentile } from "../lib/stats.js";

const EVENTS = 500;
const TARGET_P99_MS = 100;

const db = await createDatabase();
const b = await startServer({ databaseUrl: db.url });
const a = await createPostgresPubSub(db.url, { instanceId: "bench-a" });
try {
  const token = await signIn(b.url);
  const ws = await workspaceId(b.url, token);
  const client = createClient({
    url: `${b.url.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });

  const latencies: number[] = [];
  let expected = 0;
  let onAll: () => void = () => undefined;
  client.subscribe<{ storageVolumeChanged: { name: string; updatedAt: string } }>(
    { query: `subscription($w: ID!) { storageVolumeChanged(workspaceId: $w) { id name status sizeGiB updatedAt } }`, variables: { w: ws } },
    {
      next: ({ data }) => {
        const sentAt = Number(data!.storageVolumeChanged.name.slice("bench-".length));
        latencies.push(performance.timeOrigin + performance.now() - sentAt);
        if (latencies.length === expected) onAll();
      },
      error: (e) => console.error("subscription error", e),
      complete: () => undefined,
    },
  );
  await new Promise((r) => setTimeout(r, 1000));

  const volume = (sentAt: number) => ({
    id: "00000000-0000-4000-8000-000000000001",
    workspaceId: ws,
    name: `bench-${sentAt}`,
    sizeGiB: 10,
    status: "AVAILABLE",
    failureReason: null,
    node: "pve1",
    storage: "local-lvm",
    diskName: "vm-9999-hks-acme-bench",
    proxmoxVolumeId: "local-lvm:vm-9999-hks-acme-bench",
    storageClassName: "hks-bench",
    persistentVolumeName: "hks-acme-bench",
    createdAt: new Date(),
    updatedAt: new Date(),
  });

  // Warm-up, then events at a steady pace (a busy workspace, not a burst that measures queueing).
  const run = async (count: number) => {
    latencies.length = 0;
    expected = count;
    const all = new Promise<void>((resolve) => (onAll = resolve));
    for (let i = 0; i < count; i++) {
      const sentAt = performance.timeOrigin + performance.now();
      a.pubsub.publish("STORAGE_VOLUME_CHANGED", ws, volume(sentAt) as never);
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.race([all, new Promise((r) => setTimeout(r, 30_000))]);
    return [...latencies];
  };
  await run(50);
  const measured = await run(EVENTS);
  await client.dispose();

  const p50 = percentile(measured, 50);
  const p99 = percentile(measured, 99);
  const lost = EVENTS - measured.length;
  report({
    bench: "cross-instance",
    figures: [
      { what: "events A→B", value: `${measured.length}/${EVENTS}` },
      { what: "p50", value: ms(p50) },
      { what: "p99", value: ms(p99) },
      { what: "max", value: ms(Math.max(...measured)) },
    ],
    target: `p99 <= ${TARGET_P99_MS} ms, none lost`,
    met: lost === 0 && p99 <= TARGET_P99_MS,
    note: lost ? `${lost} events did not arrive` : undefined,
  });
} finally {
  await a.close();
  await b.stop();
  await db.drop();
}
