import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLab, type Lab } from "@hks/lab";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WATCHED_KINDS } from "./modules/cluster-watches.js";
import { LAB_WORKSPACES } from "./seed/lab-seed.js";
import { createTestDatabase, eventually } from "./test/harness.js";
import { startServerProcess, type ServerProcess } from "./test/server-process.js";
import { startShardFleet, type ShardFleet } from "./test/shard-fleet.js";

// Real server processes on one PostgreSQL and the lab; each fleet workspace has a vCluster (a lab API) of its own, which
// counts the watches it is asked for. Passes every second or faster: a loop that opened watches on demand would show at once.
const WORKSPACES = 12;
const KINDS = Object.keys(WATCHED_KINDS).length;
const FAST = {
  HKS_SHARD_HEARTBEAT_MS: "500",
  HKS_SHARD_LEASE_MS: "4000",
  HKS_RUN_POLL_MS: "500",
  HKS_MONITOR_INTERVAL_MS: "1000",
  HKS_RECONCILE_INTERVAL_MS: "1000",
  LOG_LEVEL: "warn",
};
let lab: Lab;
let dataDir: string;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: postgres.Sql;
let fleet: ShardFleet;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-shard-watches-"));
  lab = await startLab({ dataDir, clusters: LAB_WORKSPACES.map((w) => ({ name: w.vclusterName, namespaces: [...w.namespaces] })) });
  db = await createTestDatabase();
  sql = postgres(db.url, { max: 2, onnotice: () => undefined });
  servers.push(...(await Promise.all(["replica-a", "replica-b"].map(start))));
  fleet = await startShardFleet({ databaseUrl: db.url, kubeconfigDir: lab.dir!, count: WORKSPACES, prefix: "sw" });
}, 120_000);
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  await fleet?.close();
  await sql?.end();
  await lab?.close();
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

function start(instanceId: string) {
  return startServerProcess({ dataDir, databaseUrl: db.url, lab, env: { ...FAST, HKS_INSTANCE_ID: instanceId } });
}

/** Each fleet workspace's lease holder, once every one is held by one of `replicas` and each of them holds some. */
async function settledOwners(replicas: string[]): Promise<Map<string, string>> {
  return eventually(
    async () => {
      const rows = await sql<{ workspace_id: string; owner: string }[]>`
        select workspace_id, owner from workspace_leases where expires_at > now()`;
      const owners = new Map(rows.map((r) => [r.workspace_id, r.owner]));
      const mine = fleet.workspaces.map((w) => owners.get(w.id));
      const ok = mine.every((o) => o && replicas.includes(o)) && replicas.every((r) => [...owners.values()].includes(r));
      return ok ? owners : undefined;
    },
    `every workspace leased to ${replicas.join(", ")}`,
    30_000,
  );
}

/**
 * How many watches each vCluster holds open, and who asks again once they are cut: each lab ends its open watches, the
 * watchers reconnect (a stale one too), then the lab ends and counts them, and counts who comes back.
 */
async function watchersPerVCluster(): Promise<Array<{ open: number; reopened: number }>> {
  const labs = fleet.workspaces.map((w) => w.lab);
  for (const l of labs) {
    l.endWatches();
    l.requests.reset();
  }
  // Reconnecting after a dropped connection waits out a short backoff (under a second at the first failure).
  await eventually(async () => (labs.every((l) => l.requests.counts().watches >= KINDS) ? true : undefined), "the watchers to reconnect");
  await new Promise((r) => setTimeout(r, 1500));
  const open = labs.map((l) => l.endWatches());
  for (const l of labs) l.requests.reset();
  // Everyone who held a watch comes back; a second watcher would be back by then too (the same backoff).
  await eventually(async () => (labs.every((l) => l.requests.counts().watches >= KINDS) ? true : undefined), "the watchers to come back");
  await new Promise((r) => setTimeout(r, 1500));
  return labs.map((l, i) => ({ open: open[i]!, reopened: l.requests.counts().watches }));
}

describe("watches by shard", () => {
  it("a vCluster is watched by the replica holding its workspace's lease alone, before and after a rebalance", async () => {
    const before = await settledOwners(["replica-a", "replica-b"]);
    const one = fleet.workspaces.map(() => ({ open: KINDS, reopened: KINDS }));
    expect(await watchersPerVCluster()).toEqual(one);

    // A third replica joins: about a third of the workspaces move to it; their old owners must stop watching them.
    servers.push(await start("replica-c"));
    const after = await settledOwners(["replica-a", "replica-b", "replica-c"]);
    const moved = fleet.workspaces.filter((w) => after.get(w.id) !== before.get(w.id));
    expect(moved.length).toBeGreaterThan(0);
    expect(await watchersPerVCluster()).toEqual(one);
  }, 90_000);
});
