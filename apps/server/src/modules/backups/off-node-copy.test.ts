import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { eq } from "drizzle-orm";
import { setNodeDown } from "@hks/lab";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storageVolumes } from "../../db/schema/index.js";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";
import { kubeFor } from "../../test/kube.js";
import { JOB } from "../../platform/kubernetes/kinds/cron-job.js";
import { NETWORK_POLICY } from "../../platform/kubernetes/kinds/network-policy.js";
import { VClusters } from "../../platform/kubernetes/vclusters.js";

const exec = promisify(execFile);

const RUN = `id kind status failureReason message snapshot copySnapshot restoreSource copy { status message copiedAt }`;
const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id copyDestination { volumeId path volume { node } } } }`;
const UPDATE = `mutation($input: UpdateBackupInput!) { updateBackup(input: $input) { id copyDestination { volumeId } } }`;
const RUN_NOW = `mutation($id: ID!) { runBackupNow(id: $id) { id } }`;
const RUNS = `query($id: ID!) { backup(id: $id) { runs(first: 50) { nodes { ${RUN} } } } }`;
const RESTORE = `mutation($input: RestoreBackupRunInput!) { restoreBackupRun(input: $input) { ${RUN} } }`;
const VOLUME = `mutation($input: CreateStorageVolumeInput!) { createStorageVolume(input: $input) { id } }`;
const NODE = `query($w: ID!, $id: ID!) { workspace(id: $w) { storageVolume(id: $id) { node status } } }`;

type Run = {
  id: string;
  kind: string;
  status: string;
  failureReason: string | null;
  message: string | null;
  snapshot: string | null;
  copySnapshot: string | null;
  restoreSource: string | null;
  copy: { status: string; message: string | null; copiedAt: string | null } | null;
};
type Volume = { id: string; persistentVolumeName: string };

let stack: TestStack;
let admin: GraphQLClient;
let acme: string;
let shop: string;
let primary: Volume & { node: string };
let copy: Volume & { node: string };
let backupId: string;

const nodeOf = async (id: string) =>
  (await admin.data<{ workspace: { storageVolume: { node: string } } }>(NODE, { w: acme, id })).workspace.storageVolume.node;
const folderOf = (pvName: string) => stack.lab.clusters.get("acme")!.volumeFolder(pvName)!;
const core = () => kubeFor(stack.lab, "acme").core;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
  const p = await provisionVolume(admin, acme, "copy-primary", 400);
  primary = { ...p, node: await nodeOf(p.id) };
  // Asked for on another node than the primary: the placement input the copy needs.
  const { createStorageVolume } = await admin.data<{ createStorageVolume: { id: string } }>(VOLUME, {
    input: { workspaceId: acme, name: "copy-offnode", sizeGiB: 400, notOnNodeOfVolumeId: primary.id },
  });
  const c = await eventually(async () => {
    const { workspace } = await admin.data<{ workspace: { storageVolume: Volume & { status: string } } }>(
      `query($w: ID!, $id: ID!) { workspace(id: $w) { storageVolume(id: $id) { id status persistentVolumeName } } }`,
      { w: acme, id: createStorageVolume.id },
    );
    return workspace.storageVolume.status === "AVAILABLE" ? workspace.storageVolume : undefined;
  }, "the off-node volume to become AVAILABLE");
  copy = { id: c.id, persistentVolumeName: c.persistentVolumeName, node: await nodeOf(c.id) };
}, 180_000);
afterAll(() => stack?.stop());

const runs = async () => (await admin.data<{ backup: { runs: { nodes: Run[] } } }>(RUNS, { id: backupId })).backup.runs.nodes;
const run = (id: string, done: (r: Run) => boolean, what: string, ms = 90_000) =>
  eventually(async () => (await runs()).find((r) => r.id === id && done(r)), what, ms);
const finished = (r: Run) => ["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED", "MISSED"].includes(r.status);
const copySettled = (r: Run) => r.copy?.status === "COPIED" || r.copy?.status === "FAILED";
const runNow = async () => (await admin.data<{ runBackupNow: { id: string } }>(RUN_NOW, { id: backupId })).runBackupNow.id;

/** The Proxmox node fails (or comes back), as the lab's vCluster shows it. */
const nodeDown = (node: string, down: boolean) => setNodeDown(stack.lab.clusters.get("acme")!, node, down);

/** Plain restic on the copy's repository, as an operator would read it. */
async function copySnapshots(): Promise<Array<{ id: string; original?: string }>> {
  const s = await core().readNamespacedSecret({ name: "hks-repository-key", namespace: "shop" });
  const { stdout } = await exec("restic", ["-r", path.join(folderOf(copy.persistentVolumeName), "shop/offsite"), "snapshots", "--json"], {
    env: {
      PATH: process.env["PATH"],
      HOME: os.tmpdir(),
      RESTIC_CACHE_DIR: path.join(os.tmpdir(), "hks-restic-test-cache"),
      RESTIC_PASSWORD: Buffer.from(s.data!["password"]!, "base64").toString("utf8"),
    },
  });
  return JSON.parse(stdout) as Array<{ id: string; original?: string }>;
}

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

const input = (copyDestination: { volumeId: string; path: string } | null, extra: Record<string, unknown> = {}) => ({
  applicationId: shop,
  name: "offsite",
  schedule: "0 3 * * *",
  source: { pvcName: "shop-db-data" },
  destination: { volumeId: primary.id, path: "shop/primary" },
  function: { kind: "TAR" },
  retention: { keepLast: 3 },
  copyDestination,
  ...extra,
});

describe("an off-node copy of a backup", () => {
  it("puts the volume asked for on another node than the primary", () => {
    expect(primary.node).toMatch(/^pve\d$/);
    expect(copy.node).toMatch(/^pve\d$/);
    expect(copy.node).not.toBe(primary.node);
  });

  it("refuses a copy on the same node, in another workspace, or for a PLAIN backup, and creates nothing", async () => {
    const same = await admin.error(CREATE, { input: input({ volumeId: primary.id, path: "shop/offsite" }) });
    expect(same).toMatchObject({ code: "INVALID_INPUT", field: "copyDestination.volumeId" });
    expect(same.message).toMatch(new RegExp(`on Proxmox node ${primary.node}, like the destination 'copy-primary'.*another node`));

    // A volume of Globex, on the other node: refused as another workspace's, without naming it.
    const globex = await stack.workspaceId("globex");
    const [other] = await stack.database.db
      .insert(storageVolumes)
      .values({
        workspaceId: globex,
        name: "globex-vol",
        sizeGiB: 10,
        status: "AVAILABLE",
        node: copy.node,
        storage: "local-lvm",
        diskName: `vm-9999-globex-${randomUUID().slice(0, 8)}`,
        storageClassName: "hks-globex-vol",
        persistentVolumeName: "hks-globex-globex-vol",
      })
      .returning();
    const foreign = await admin.error(CREATE, { input: input({ volumeId: other!.id, path: "shop/offsite" }) });
    expect(foreign).toMatchObject({ code: "INVALID_INPUT", field: "copyDestination.volumeId" });
    expect(foreign.message).toMatch(/belongs to another workspace/);
    expect(foreign.message).not.toContain("globex-vol");

    // A volume of this workspace that is still being made, on the other node: not available yet.
    const [making] = await stack.database.db
      .insert(storageVolumes)
      .values({
        workspaceId: acme,
        name: "copy-making",
        sizeGiB: 10,
        status: "PROVISIONING",
        node: copy.node,
        storage: "local-lvm",
        diskName: `vm-9999-acme-${randomUUID().slice(0, 8)}`,
        storageClassName: "hks-copy-making",
        persistentVolumeName: "hks-acme-copy-making",
      })
      .returning();
    const unavailable = await admin.error(CREATE, { input: input({ volumeId: making!.id, path: "shop/offsite" }) });
    expect(unavailable).toMatchObject({ code: "INVALID_INPUT", field: "copyDestination.volumeId" });
    expect(unavailable.message).toMatch(/'copy-making' is provisioning, not available/);

    const plain = await admin.error(CREATE, { input: input({ volumeId: copy.id, path: "shop/offsite" }, { format: "PLAIN" }) });
    expect(plain).toMatchObject({ code: "INVALID_INPUT", field: "copyDestination" });
    expect(plain.message).toMatch(/needs the RESTIC format/);

    const { application } = await admin.data<{ application: { backups: Array<{ name: string }> } }>(
      `query($id: ID!) { application(id: $id) { backups { name } } }`,
      { id: shop },
    );
    expect(application.backups.map((b) => b.name)).not.toContain("offsite");
  });

  it("copies each successful run to the other node over the network, and shows the copy beside the run", async () => {
    const created = (
      await admin.data<{ createBackup: { id: string; copyDestination: { volume: { node: string } } } }>(CREATE, {
        input: input({ volumeId: copy.id, path: "shop/offsite" }),
      })
    ).createBackup;
    backupId = created.id;
    expect(created.copyDestination.volume.node).toBe(copy.node);

    const first = await run(await runNow(), (r) => finished(r) && copySettled(r), "the first run and its copy", 120_000);
    expect(first, JSON.stringify(first)).toMatchObject({ status: "SUCCEEDED", copy: { status: "COPIED" } });
    expect(first.copy!.message).toMatch(/Copied 1 new snapshot/);
    const copied = await copySnapshots();
    expect(copied.map((s) => s.original)).toEqual([first.snapshot]);
    // The serving pod and its one-off credentials are gone once the copy is done.
    const pods = await core().listNamespacedPod({ namespace: "shop", labelSelector: "backup.hks.io/copy-role=serve" });
    expect(pods.items.filter((p) => !p.metadata?.deletionTimestamp)).toEqual([]);
    const secrets = await core().listNamespacedSecret({ namespace: "shop", labelSelector: `backup.hks.io/copy-of=${backupId}` });
    expect(secrets.items).toEqual([]);
  }, 180_000);

  it("a failed copy leaves the run green, says why, and is retried after the next run", async () => {
    nodeDown(copy.node, true);
    try {
      const second = await run(await runNow(), (r) => finished(r) && copySettled(r), "the second run and its failed copy", 120_000);
      expect(second.status).toBe("SUCCEEDED");
      expect(second.copy!.status).toBe("FAILED");
      expect(second.copy!.message).toMatch(/copy's node cannot run the copy.*retried after the next run/);
    } finally {
      nodeDown(copy.node, false);
    }
    const third = await run(await runNow(), (r) => finished(r) && copySettled(r), "the third run and its copy", 120_000);
    expect(third.copy!.status).toBe("COPIED");
    const all = (await runs()).filter((r) => r.kind === "BACKUP");
    // restic copy copied what was missing: the second run's snapshot too.
    expect(all.map((r) => r.copy?.status)).toEqual(["COPIED", "COPIED", "COPIED"]);
    expect((await copySnapshots()).map((s) => s.original).sort()).toEqual(all.map((r) => r.snapshot).sort());
    // The copy's volume holds backups: it cannot be deleted from under them.
    const busy = await admin.error(`mutation($id: ID!) { deleteStorageVolume(id: $id) { id } }`, { id: copy.id });
    expect(busy.code).toBe("CONFLICT");
    expect(busy.message).toMatch(/holds the off-node copy of the backup 'offsite'; delete or re-point it first/);
  }, 300_000);

  it("restores from the copy while the primary's node is down and its disk lost; the restored data is the backup's", async () => {
    const [latest] = (await runs()).filter((r) => r.kind === "BACKUP");
    // The primary's node fails: nothing schedules there, and its disk's data is gone.
    nodeDown(primary.node, true);
    await rm(path.join(folderOf(primary.persistentVolumeName), "shop/primary"), { recursive: true, force: true });
    try {
      const restore = (
        await admin.data<{ restoreBackupRun: Run }>(RESTORE, {
          input: { runId: latest!.id, targetPvcName: "shop-db-from-copy", createTarget: true, targetSizeGiB: 2, source: "COPY" },
        })
      ).restoreBackupRun;
      const done = await run(restore.id, finished, "the restore from the copy", 120_000);
      expect(done, JSON.stringify(done)).toMatchObject({ status: "SUCCEEDED", restoreSource: "COPY" });
      // The run names the snapshot the admin chose (the primary's id); the copy's own id is beside it.
      expect(done.snapshot).toBe(latest!.snapshot);
      const inCopy = (await copySnapshots()).find((s) => s.original === latest!.snapshot);
      expect(done.copySnapshot).toBe(inCopy!.id);
      expect(done.copySnapshot).not.toBe(done.snapshot);
      const pvc = await core().readNamespacedPersistentVolumeClaim({ name: "shop-db-from-copy", namespace: "shop" });
      const source = await core().readNamespacedPersistentVolumeClaim({ name: "shop-db-data", namespace: "shop" });
      const restored = folderOf(pvc.spec!.volumeName!);
      const original = folderOf(source.spec!.volumeName!);
      expect(await listFiles(restored)).toEqual(await listFiles(original));
      expect(await readFile(path.join(restored, "base/16384/2619"))).toEqual(await readFile(path.join(original, "base/16384/2619")));
    } finally {
      nodeDown(primary.node, false);
    }
  }, 180_000);

  it("refuses a restore from a copy the backup does not have, and drops the copy on request", async () => {
    const [latest] = (await runs()).filter((r) => r.kind === "BACKUP");
    const updated = (
      await admin.data<{ updateBackup: { copyDestination: null } }>(UPDATE, {
        input: { id: backupId, removeCopyDestination: true },
      })
    ).updateBackup;
    expect(updated.copyDestination).toBeNull();
    const refused = await admin.error(RESTORE, {
      input: { runId: latest!.id, targetPvcName: "shop-db-x", createTarget: true, targetSizeGiB: 2, source: "COPY" },
    });
    expect(refused).toMatchObject({ code: "INVALID_INPUT", field: "source" });
    expect(refused.message).toMatch(/has no off-node copy; restore from its destination/);
    await expect(core().readNamespacedPersistentVolumeClaim({ name: "shop-db-x", namespace: "shop" })).rejects.toThrow();
  });
  describe("a copy that can no longer finish", () => {
    const kube = () => new VClusters(stack.lab.dir!).forName("acme");
    const copyObjects = async () => {
      const selector = `backup.hks.io/copy-of=${backupId}`;
      const [pods, policies, secrets] = await Promise.all([
        core().listNamespacedPod({ namespace: "shop", labelSelector: `${selector},backup.hks.io/copy-role=serve` }),
        kube().list<{ metadata?: { name?: string }; spec?: Record<string, any> }>(
          NETWORK_POLICY.apiVersion,
          NETWORK_POLICY.kind,
          "shop",
          selector,
        ),
        core().listNamespacedSecret({ namespace: "shop", labelSelector: selector }),
      ]);
      return { pods: pods.items.filter((p) => !p.metadata?.deletionTimestamp), policies, secrets: secrets.items };
    };
    /** Passes by hand, so that the copy is held at the step the test looks at. */
    const passUntil = (id: string, done: (r: Run) => boolean, what: string) =>
      eventually(
        async () => {
          await stack.services.runTracker.sync();
          return (await runs()).find((r) => r.id === id && done(r));
        },
        what,
        120_000,
      );

    beforeAll(async () => {
      await admin.data(UPDATE, { input: { id: backupId, copyDestination: { volumeId: copy.id, path: "shop/offsite" } } });
      await stack.services.runTracker.stop();
    });
    afterAll(() => stack.services.runTracker.start(250));

    it("serves the repository to the copy's Job alone (a NetworkPolicy made with the pod), and ends the copy when its destination is removed", async () => {
      const id = await runNow();
      // Held once its Job was made: the copy is in progress when its destination goes.
      await passUntil(id, (r) => r.copy?.status === "COPYING" && !!r.copy.message, "the copy Job to start");
      const { pods, policies, secrets } = await copyObjects();
      expect(pods).toHaveLength(1);
      expect(secrets).toHaveLength(1);
      expect(policies).toHaveLength(1);
      const pod = pods[0]!;
      const policy = policies[0]!;
      expect(policy.metadata?.name).toBe(pod.metadata!.name);
      // It selects the serving pod, and lets in only the copy Job's pods, on the port the pod serves.
      const selects = policy.spec!["podSelector"].matchLabels as Record<string, string>;
      for (const [k, v] of Object.entries(selects)) expect(pod.metadata!.labels![k]).toBe(v);
      expect(policy.spec!["policyTypes"]).toEqual(["Ingress"]);
      expect(policy.spec!["ingress"]).toEqual([
        {
          _from: [{ podSelector: { matchLabels: { ...selects, "backup.hks.io/copy-role": "copy" } } }],
          ports: [{ protocol: "TCP", port: pod.spec!.containers[0]!.ports![0]!.containerPort }],
        },
      ]);

      const name = pod.metadata!.labels!["backup.hks.io/copy-name"]!;
      await admin.data(UPDATE, { input: { id: backupId, removeCopyDestination: true } });
      const ended = await passUntil(id, (r) => r.copy?.status !== "COPYING", "the copy to end");
      // The copy Job goes too: a restic copy in progress must not go on writing into the repository.
      expect(await kube().read({ ...JOB, metadata: { name, namespace: "shop" } })).toBeUndefined();
      expect(ended.copy).toMatchObject({ status: "FAILED" });
      expect(ended.copy!.message).toMatch(/copy destination was removed while the snapshot was being copied; the copy was stopped/);
      expect(ended.status).toBe("SUCCEEDED");
      expect(await copyObjects()).toEqual({ pods: [], policies: [], secrets: [] });
    }, 240_000);

    it("ends a copy whose Job disappeared, instead of leaving it copying until the pod's deadline", async () => {
      await admin.data(UPDATE, { input: { id: backupId, copyDestination: { volumeId: copy.id, path: "shop/offsite" } } });
      const id = await runNow();
      const started = await passUntil(id, (r) => r.copy?.status === "COPYING" && !!r.copy.message, "the copy Job to start");
      expect(started.copy!.message).toMatch(/^Copying: the Job .* pulls the new snapshots/);
      // This copy's Job (earlier copies' finished Jobs are still listed), named as its serving pod says.
      const name = (await copyObjects()).pods[0]!.metadata!.labels!["backup.hks.io/copy-name"]!;
      expect(await kube().read({ ...JOB, metadata: { name, namespace: "shop" } })).toBeDefined();
      await kube().delete({ ...JOB, metadata: { name, namespace: "shop" } });
      const ended = await passUntil(id, (r) => r.copy?.status !== "COPYING", "the copy to end");
      expect(ended.copy).toMatchObject({ status: "FAILED" });
      expect(ended.copy!.message).toMatch(/copy Job .* disappeared before it reported a result; the copy is retried after the next run/);
      expect(await copyObjects()).toEqual({ pods: [], policies: [], secrets: [] });
    }, 240_000);

    it("ends a copy whose volume stops being available, saying which volume", async () => {
      const id = await runNow();
      await passUntil(id, (r) => r.copy?.status === "COPYING" && !!r.copy.message, "the copy Job to start");
      const setStatus = (status: "FAILED" | "AVAILABLE") =>
        stack.database.db.update(storageVolumes).set({ status }).where(eq(storageVolumes.id, copy.id));
      // As a failed expansion leaves it.
      await setStatus("FAILED");
      try {
        const ended = await passUntil(id, (r) => r.copy?.status !== "COPYING", "the copy to end");
        expect(ended.copy).toMatchObject({ status: "FAILED" });
        expect(ended.copy!.message).toMatch(/^The off-node copy's volume 'copy-offnode' is failed, so the copy was stopped/);
        expect(await copyObjects()).toEqual({ pods: [], policies: [], secrets: [] });
      } finally {
        await setStatus("AVAILABLE");
      }
    }, 240_000);
  });
});
