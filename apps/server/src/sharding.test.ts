import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLab, type Lab } from "@hks/lab";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAB_WORKSPACES } from "./seed/lab-seed.js";
import { createTestDatabase, eventually } from "./test/harness.js";
import { startServerProcess, type ServerProcess } from "./test/server-process.js";
import { startShardFleet, type ShardFleet } from "./test/shard-fleet.js";

// Three real server processes share one PostgreSQL and the lab, as replicas do; 30 small workspaces are divided among them.
const WORKSPACES = 30;
const FAST = {
  HKS_SHARD_HEARTBEAT_MS: "500",
  HKS_SHARD_LEASE_MS: "4000",
  HKS_RUN_POLL_MS: "500",
  HKS_LEADER_CHECK_MS: "300",
  HKS_RECONCILE_INTERVAL_MS: "60000",
};
let lab: Lab;
let dataDir: string;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: postgres.Sql;
let fleet: ShardFleet;
const servers = new Map<string, ServerProcess>();

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-shards-"));
  lab = await startLab({ dataDir, clusters: LAB_WORKSPACES.map((w) => ({ name: w.vclusterName, namespaces: [...w.namespaces] })) });
  db = await createTestDatabase();
  sql = postgres(db.url, { max: 2, onnotice: () => undefined });
  const started = await Promise.all(["replica-a", "replica-b", "replica-c"].map((id) => start(id)));
  started.forEach((s, i) => servers.set(["replica-a", "replica-b", "replica-c"][i]!, s));
  fleet = await startShardFleet({ databaseUrl: db.url, kubeconfigDir: lab.dir!, count: WORKSPACES, prefix: "shard" });
  // Three servers and thirty vClusters starting on a machine the other test files share: longer than one server's start.
}, 180_000);
afterAll(async () => {
  if (process.env["SHARD_DEBUG"]) {
    for (const [id, server] of servers)
      console.log(
        id,
        server
          .output()
          .split("\n")
          .filter((l) => /ownership|warn|"error"/.test(l))
          .slice(-30)
          .join("\n"),
      );
    console.log(await runs().catch(() => "no runs"));
  }
  await Promise.all([...servers.values()].map((s) => s.kill()));
  await fleet?.close();
  await sql?.end();
  await lab?.close();
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const start = (instanceId: string) =>
  startServerProcess({ dataDir, databaseUrl: db.url, lab, env: { ...FAST, HKS_INSTANCE_ID: instanceId } });

/** Who holds a valid lease on each workspace, read from PostgreSQL itself. */
async function owners(): Promise<Map<string, string>> {
  const rows = await sql<{ workspace_id: string; owner: string }[]>`
    select workspace_id, owner from workspace_leases where expires_at > now()`;
  return new Map(rows.map((r) => [r.workspace_id, r.owner]));
}

const runs = () =>
  sql<{ job_name: string; workspace_id: string; status: string }[]>`
    select job_name, workspace_id, status from backup_runs where job_name like 'manual-%'`;

describe("background work sharded across three replicas", () => {
  it("divides the workspaces evenly, and when one replica dies mid-run its share moves and every run is tracked once", async () => {
    const total = WORKSPACES + LAB_WORKSPACES.length;
    const spread = await eventually(async () => {
      const o = await owners();
      const shares = new Map<string, number>();
      for (const owner of o.values()) shares.set(owner, (shares.get(owner) ?? 0) + 1);
      return o.size === total && shares.size === 3 ? shares : undefined;
    }, "every workspace leased, to all three replicas");
    const mean = total / 3;
    expect(Math.max(...spread.values())).toBeLessThanOrEqual(1.5 * mean);

    // A run in every workspace; each replica records the runs of its own share.
    for (const w of fleet.workspaces) fleet.startJob(w, `manual-${w.slug}`);
    await eventually(
      async () => {
        const r = await runs();
        return r.length === WORKSPACES && r.every((x) => x.status === "RUNNING") ? true : undefined;
      },
      "every Job recorded as a RUNNING run",
      30_000,
    );

    // Kill the replica with the largest share, without warning, while its runs are under way.
    const before = await owners();
    const [victim] = [...spread].sort((a, b) => b[1] - a[1])[0]!;
    const orphaned = fleet.workspaces.filter((w) => before.get(w.id) === victim);
    expect(orphaned.length).toBeGreaterThan(0);
    await servers.get(victim)!.kill();
    const killedAt = Date.now();
    servers.delete(victim);
    for (const w of fleet.workspaces) fleet.finishJob(w, `manual-${w.slug}`);

    await eventually(
      async () => {
        const r = await runs();
        const done = r.filter((x) => orphaned.some((w) => w.id === x.workspace_id) && x.status === "SUCCEEDED");
        return done.length === orphaned.length ? true : undefined;
      },
      "the dead replica's runs to be finished by the others",
      20_000,
    );
    const takeoverMs = Date.now() - killedAt;
    if (process.env["SHARD_DEBUG"])
      for (const [id, server] of servers)
        console.log(
          id,
          `killed at ${new Date(killedAt).toISOString()}`,
          server
            .output()
            .split("\n")
            .filter((l) => /ownership|warn|"error"/.test(l))
            .join("\n"),
        );
    console.log(`the dead replica's ${orphaned.length} workspaces had their runs tracked again ${takeoverMs} ms after it died`);
    expect(takeoverMs).toBeLessThan(10_000);

    const after = await owners();
    expect([...after.values()].filter((o) => o === victim)).toEqual([]);
    expect(after.size).toBe(total);
    await eventually(async () => ((await runs()).every((x) => x.status === "SUCCEEDED") ? true : undefined), "every run finished");

    // Nothing doubled: one run per Job, and one "finished" notification per run.
    const perJob = await sql<{ job_name: string; n: number }[]>`
      select job_name, count(*)::int as n from backup_runs group by job_name having count(*) > 1`;
    expect(perJob).toEqual([]);
    expect((await runs()).length).toBe(WORKSPACES);
    const notified = () => sql<{ id: string; n: number }[]>`
      select payload->>'id' as id, count(*)::int as n from pubsub_events
      where topic like 'BACKUP_RUN_CHANGED%' and payload->>'status' = 'SUCCEEDED' group by 1`;
    // Announced after the write commits: the last ones may trail the rows by a moment. Then give doubles time to show.
    await eventually(async () => ((await notified()).length === WORKSPACES ? true : undefined), "a notification for every finished run");
    await new Promise((r) => setTimeout(r, 1500));
    const finished = await notified();
    expect(finished).toHaveLength(WORKSPACES);
    expect(finished.filter((f) => f.n !== 1)).toEqual([]);

    // Each survivor says so: a log line for the move, and /metrics shows how many workspaces it owns.
    for (const [id, server] of servers) {
      expect(server.output()).toContain("workspace ownership moved");
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      const owned = Number(/^hks_workspaces_owned (\d+)$/m.exec(metrics)?.[1]);
      const leased = [...(await owners()).values()].filter((o) => o === id).length;
      expect(Math.abs(owned - leased)).toBeLessThanOrEqual(1);
    }
    // Three phases, each bounded above (leasing, recording, taking over): together longer than one test's default.
  }, 90_000);
});
