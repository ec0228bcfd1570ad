import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLab, type Lab } from "@hks/lab";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAB_WORKSPACES } from "../../seed/lab-seed.js";
import { createTestDatabase, eventually, signIn } from "../../test/harness.js";
import { startServerProcess, type ServerProcess } from "../../test/server-process.js";

let lab: Lab;
let dataDir: string;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: postgres.Sql;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-crash-"));
  lab = await startLab({ dataDir, clusters: LAB_WORKSPACES.map((w) => ({ name: w.vclusterName, namespaces: [...w.namespaces] })) });
  db = await createTestDatabase();
  sql = postgres(db.url, { max: 1, onnotice: () => undefined });
});
afterAll(async () => {
  await sql?.end();
  await lab?.close();
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const startServer = () => startServerProcess({ dataDir, databaseUrl: db.url, lab, env: { HKS_SAGA_LEASE_MS: "1000" } });
const kill = (server: ServerProcess) => server.kill();

const CREATE = `mutation($input: CreateStorageVolumeInput!) { createStorageVolume(input: $input) { id status } }`;

describe("a server killed mid-saga", () => {
  it("finishes provisioning when it starts again: one disk, one charge", async () => {
    const acme = lab.clusters.get("acme")!;
    // The vCluster stops answering while the PV is applied: the disk is allocated, the saga is waiting.
    acme.faults.add({ method: "PATCH", path: "/api/v1/persistentvolumes/hks-acme-crashy", action: "hang" });
    const first = await startServer();
    const admin = await signIn(first.url);
    const workspaceId = (await sql<{ id: string }[]>`select id from workspaces where slug = 'acme'`)[0]!.id;
    const { createStorageVolume } = await admin.data<{ createStorageVolume: { id: string } }>(CREATE, {
      input: { workspaceId, name: "crashy", sizeGiB: 50 },
    });
    await eventually(async () => {
      const [op] = await sql<{ step: string }[]>`select step from volume_operations where volume_id = ${createStorageVolume.id}`;
      return op?.step === "CREATE_KUBERNETES_OBJECTS" ? true : undefined;
    }, "the saga to reach the vCluster step");
    await new Promise((r) => setTimeout(r, 300));
    await kill(first);
    expect(lab.proxmox.volumes().filter((d) => d.volid.includes("-crashy-"))).toHaveLength(1);

    acme.faults.clear();
    const second = await startServer();
    try {
      const status = await eventually(async () => {
        const [v] = await sql<{ status: string }[]>`select status from storage_volumes where id = ${createStorageVolume.id}`;
        return v?.status === "AVAILABLE" ? v.status : undefined;
      }, "the resumed saga to finish");
      expect(status).toBe("AVAILABLE");
      expect(lab.proxmox.volumes().filter((d) => d.volid.includes("-crashy-"))).toHaveLength(1);
      const ledger = await sql`select size_delta_gib from billing_ledger where volume_id = ${createStorageVolume.id}`;
      expect(ledger.map((r) => r["size_delta_gib"])).toEqual([50]);
      expect(acme.store.get("v1", "PersistentVolume", undefined, "hks-acme-crashy")).toBeTruthy();
    } finally {
      await kill(second);
    }
  });

  it("finishes rolling back when it starts again: no orphaned disk, no charge", async () => {
    const acme = lab.clusters.get("acme")!;
    acme.faults.add({
      method: "PATCH",
      path: "/api/v1/persistentvolumes/hks-acme-rejected",
      action: "fail",
      status: 422,
      message: "PersistentVolume is invalid",
    });
    // The disk deletion of the rollback hangs, and the server dies there.
    lab.proxmox.faults.add({ method: "DELETE", path: "/content/", action: "hang", times: 1 });
    const first = await startServer();
    const admin = await signIn(first.url);
    const workspaceId = (await sql<{ id: string }[]>`select id from workspaces where slug = 'acme'`)[0]!.id;
    const { createStorageVolume } = await admin.data<{ createStorageVolume: { id: string } }>(CREATE, {
      input: { workspaceId, name: "rejected", sizeGiB: 5 },
    });
    await eventually(async () => {
      const [op] = await sql<{ state: string }[]>`select state from volume_operations where volume_id = ${createStorageVolume.id}`;
      return op?.state === "ROLLING_BACK" ? true : undefined;
    }, "the saga to start rolling back");
    await new Promise((r) => setTimeout(r, 500));
    await kill(first);
    expect(lab.proxmox.volumes().filter((d) => d.volid.includes("-rejected-"))).toHaveLength(1);

    const second = await startServer();
    try {
      const v = await eventually(async () => {
        const [row] = await sql<
          { status: string; failure_reason: string }[]
        >`select status, failure_reason from storage_volumes where id = ${createStorageVolume.id}`;
        return row?.status === "FAILED" ? row : undefined;
      }, "the resumed rollback to finish");
      expect(v.failure_reason).toMatch(/PersistentVolume is invalid/);
      expect(lab.proxmox.volumes().filter((d) => d.volid.includes("-rejected-"))).toHaveLength(0);
      expect(await sql`select 1 from billing_ledger where volume_id = ${createStorageVolume.id}`).toHaveLength(0);
    } finally {
      acme.faults.clear();
      lab.proxmox.faults.clear();
      await kill(second);
    }
  });
});
