import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLab, type Lab } from "@hks/lab";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEADER_LOCK } from "./leadership.js";
import { LAB_WORKSPACES } from "./seed/lab-seed.js";
import { createTestDatabase, eventually, signIn } from "./test/harness.js";
import { startServerProcess, type ServerProcess } from "./test/server-process.js";

// Two real server processes share one PostgreSQL database and one lab, as replicas behind a load balancer do.
let lab: Lab;
let dataDir: string;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: postgres.Sql;
let servers: ServerProcess[] = [];

const FAST = { HKS_LEADER_CHECK_MS: "300", HKS_SAGA_LEASE_MS: "1500", HKS_RUN_POLL_MS: "500", HKS_RECONCILE_INTERVAL_MS: "1000" };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-replicas-"));
  lab = await startLab({ dataDir, clusters: LAB_WORKSPACES.map((w) => ({ name: w.vclusterName, namespaces: [...w.namespaces] })) });
  db = await createTestDatabase();
  sql = postgres(db.url, { max: 1, onnotice: () => undefined });
  // Started together: migrations and seeding take turns under the start-up lock.
  servers = await Promise.all([start("replica-a"), start("replica-b")]);
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill()));
  await sql?.end();
  await lab?.close();
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

async function start(instanceId: string): Promise<ServerProcess> {
  const server = await startServerProcess({ dataDir, databaseUrl: db.url, lab, env: { ...FAST, HKS_INSTANCE_ID: instanceId } });
  instanceIds.set(server, instanceId);
  return server;
}

/** The instances holding the leader lock right now, read from PostgreSQL itself (this test's database: pg_locks shows every database's). */
async function leaders(): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid
    where l.locktype = 'advisory' and l.granted and ((l.classid::bigint << 32) | l.objid::bigint) = ${LEADER_LOCK.toString()}::bigint
      and l.database = (select oid from pg_database where datname = current_database())`;
  return rows.map((r) => r.name.replace(/^hks-leader /, ""));
}

const instanceIds = new Map<ServerProcess, string>();
const workspaceId = async (slug: string) => (await sql<{ id: string }[]>`select id from workspaces where slug = ${slug}`)[0]!.id;

describe("several server instances on one PostgreSQL", () => {
  it("elects exactly one leader, and another instance takes over within seconds when it dies", async () => {
    const first = await eventually(async () => ((await leaders()).length === 1 ? (await leaders())[0] : undefined), "one leader");
    expect(["replica-a", "replica-b"]).toContain(first);
    // It stays one: the follower keeps trying and keeps failing while the leader lives.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await leaders()).toEqual([first]);

    const leader = servers.find((s) => instanceIds.get(s) === first)!;
    expect(leader.output()).toContain("this instance is the leader");
    expect(servers.find((s) => s !== leader)!.output()).not.toContain("this instance is the leader");
    const killedAt = Date.now();
    await leader.kill();
    const second = await eventually(
      async () => ((await leaders()).length === 1 ? (await leaders())[0] : undefined),
      "a new leader",
      10_000,
    );
    const takeoverMs = Date.now() - killedAt;
    expect(second).not.toBe(first);
    expect(takeoverMs).toBeLessThan(5000);

    // The old leader comes back as a follower: still one leader.
    servers = [servers.find((s) => s !== leader)!, await start(first!)];
    await new Promise((r) => setTimeout(r, 1000));
    expect(await leaders()).toEqual([second]);
  });

  it("finishes a volume operation whose instance died, on another instance: one disk, one charge", async () => {
    const acme = lab.clusters.get("acme")!;
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const admin = await signIn(a.url);
    const subscriber = (await signIn(b.url)).subscriptions();
    const seen: string[] = [];
    const ws = await workspaceId("acme");
    const done = new Promise<void>((resolve, reject) => {
      subscriber.subscribe<{ storageVolumeChanged: { name: string; status: string } }>(
        { query: `subscription($w: ID!) { storageVolumeChanged(workspaceId: $w) { name status } }`, variables: { w: ws } },
        {
          next: ({ data }) => {
            if (data?.storageVolumeChanged.name !== "handover") return;
            seen.push(data.storageVolumeChanged.status);
            if (data.storageVolumeChanged.status === "AVAILABLE") resolve();
          },
          error: reject,
          complete: () => undefined,
        },
      );
    });
    await new Promise((r) => setTimeout(r, 300));

    // Instance A takes the request, allocates the disk, and dies while the vCluster is not answering.
    acme.faults.add({ method: "PATCH", path: "/api/v1/persistentvolumes/hks-acme-handover", action: "hang" });
    const { createStorageVolume } = await admin.data<{ createStorageVolume: { id: string } }>(
      `mutation($input: CreateStorageVolumeInput!) { createStorageVolume(input: $input) { id } }`,
      { input: { workspaceId: ws, name: "handover", sizeGiB: 20 } },
    );
    await eventually(async () => {
      const [op] = await sql<
        { step: string; owner: string }[]
      >`select step, owner from volume_operations where volume_id = ${createStorageVolume.id}`;
      return op?.step === "CREATE_KUBERNETES_OBJECTS" ? op : undefined;
    }, "the saga to reach the vCluster step");
    // While A lives its lease holds: the other instance leaves the operation alone.
    await new Promise((r) => setTimeout(r, 2500));
    const [held] = await sql<{ owner: string }[]>`select owner from volume_operations where volume_id = ${createStorageVolume.id}`;
    expect(held?.owner).toBe(instanceIds.get(a));
    await a.kill();
    acme.faults.clear();

    // B (now the leader, or already it) resumes the operation once A's lease has lapsed; B's subscriber hears every step.
    await done;
    expect(seen[0]).toBe("PROVISIONING");
    expect(seen.at(-1)).toBe("AVAILABLE");
    expect(lab.proxmox.volumes().filter((d) => d.volid.includes("-handover-"))).toHaveLength(1);
    const ledger = await sql`select size_delta_gib from billing_ledger where volume_id = ${createStorageVolume.id}`;
    expect(ledger.map((r) => r["size_delta_gib"])).toEqual([20]);
    expect(acme.store.get("v1", "PersistentVolume", undefined, "hks-acme-handover")).toBeTruthy();
    await subscriber.dispose();
    servers = [b, await start("replica-c")];
  });

  it("lets only one of two instances change a volume at a time, and provisions once for one idempotency key", async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const [onA, onB] = await Promise.all([signIn(a.url), signIn(b.url)]);
    const ws = await workspaceId("acme");
    const CREATE = `mutation($input: CreateStorageVolumeInput!) { createStorageVolume(input: $input) { id status } }`;
    const input = { workspaceId: ws, name: "raced", sizeGiB: 10, idempotencyKey: "raced-once" };
    const created = await Promise.all([
      onA.data<{ createStorageVolume: { id: string } }>(CREATE, { input }),
      onB.data<{ createStorageVolume: { id: string } }>(CREATE, { input }),
    ]);
    expect(created[0].createStorageVolume.id).toBe(created[1].createStorageVolume.id);
    const id = created[0].createStorageVolume.id;
    await eventually(
      async () => ((await sql`select 1 from storage_volumes where id = ${id} and status = 'AVAILABLE'`).length ? true : undefined),
      "the volume to be AVAILABLE",
    );

    const EXPAND = `mutation($input: ExpandStorageVolumeInput!) { expandStorageVolume(input: $input) { id status } }`;
    const results = await Promise.all([
      onA.request(EXPAND, { input: { id, sizeGiB: 20 } }),
      onB.request(EXPAND, { input: { id, sizeGiB: 30 } }),
    ]);
    const accepted = results.filter((r) => !r.errors);
    const refused = results.filter((r) => r.errors);
    expect(accepted).toHaveLength(1);
    expect(refused.map((r) => r.errors![0]!.extensions?.["code"])).toEqual(["CONFLICT"]);
    const size = await eventually(async () => {
      const [v] = await sql<{ status: string; size_gib: number }[]>`select status, size_gib from storage_volumes where id = ${id}`;
      return v?.status === "AVAILABLE" && v.size_gib !== 10 ? v.size_gib : undefined;
    }, "the expansion to finish");
    const ledger = await sql<
      { kind: string; size_delta_gib: number }[]
    >`select kind, size_delta_gib from billing_ledger where volume_id = ${id} order by created_at`;
    expect(ledger.map((r) => [r.kind, r.size_delta_gib])).toEqual([
      ["VOLUME_PROVISIONED", 10],
      ["VOLUME_EXPANDED", size - 10],
    ]);
    expect(lab.proxmox.volumes().filter((d) => d.volid.includes("-raced-"))).toHaveLength(1);
  });
});
