import { execFile } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";
import { kubeFor } from "../../test/kube.js";

const exec = promisify(execFile);

const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id name } }`;
const RUN_NOW = `mutation($id: ID!) { runBackupNow(id: $id) { id } }`;
const RUNS = `query($id: ID!) { backup(id: $id) { runs(first: 50) { nodes { id status message snapshot } } } }`;
const RUN = `query($id: ID!) { backupRun(id: $id) { id status message } }`;
const DELETE = `mutation($id: ID!, $keep: Boolean) { deleteBackup(id: $id, keepRestorePoints: $keep) { id deletedAt restorePointCount forgetJob { id status message } } }`;
const POINT = `id time backupId backupName backupDeleted applicationName volumeId folder snapshot totalBytes files recovered backupRecovered volume { name } run { id kind status snapshot }`;
const APP_POINTS = `query($id: ID!, $first: Int, $after: String) { application(id: $id) { restorePoints(first: $first, after: $after) { totalCount hasNextPage endCursor nodes { ${POINT} } } } }`;
const VOLUME_POINTS = `query($w: ID!, $v: ID!) { workspace(id: $w) { storageVolume(id: $v) { restorePoints(first: 50) { totalCount nodes { ${POINT} } } restorePointHoldings { backupName deleted applicationName count newest } lastRescan { id status } } } }`;
const RESCAN = `mutation($v: ID!) { rescanStorageVolume(volumeId: $v) { id kind status } }`;
const CATALOG_JOB = `query($id: ID!) { catalogJob(id: $id) { id status message outcome { repositories snapshots recorded recoveredBackups pruned unassigned } } }`;
const RESTORE = `mutation($input: RestoreBackupRunInput!) { restoreBackupRun(input: $input) { id status } }`;
const DELETE_VOLUME = `mutation($id: ID!, $confirm: Boolean) { deleteStorageVolume(id: $id, confirmRestorePoints: $confirm) { id status } }`;

type Point = {
  id: string;
  time: string;
  backupId: string;
  backupName: string;
  backupDeleted: boolean;
  applicationName: string | null;
  folder: string;
  snapshot: string;
  totalBytes: number | null;
  files: number | null;
  recovered: boolean;
  backupRecovered: boolean;
  volume: { name: string } | null;
  run: { id: string; kind: string; status: string; snapshot: string };
};
type Page = { totalCount: number; hasNextPage: boolean; endCursor: string | null; nodes: Point[] };
type CatalogJob = {
  id: string;
  status: string;
  message: string | null;
  outcome: {
    repositories: number;
    snapshots: number;
    recorded: number;
    recoveredBackups: number;
    pruned: number;
    unassigned: number;
  } | null;
};

let stack: TestStack;
let admin: GraphQLClient;
let member: GraphQLClient;
let outsider: GraphQLClient;
let acme: string;
let shop: string;
let volume: { id: string; persistentVolumeName: string };
let nightly: { id: string; name: string };
let runIds: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  member = await stack.login("dev@acme.test");
  outsider = await stack.login("admin@globex.test");
  acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
  volume = await provisionVolume(admin, acme, "points-vol", 500);
}, 120_000);
afterAll(() => stack?.stop());

const core = () => kubeFor(stack.lab, "acme").core;
const folderOf = (pv: string) => stack.lab.clusters.get("acme")!.volumeFolder(pv)!;
const repoDir = () => path.join(folderOf(volume.persistentVolumeName), "shop/points");

const appPoints = async (first = 50, after?: string) =>
  (await admin.data<{ application: { restorePoints: Page } }>(APP_POINTS, { id: shop, first, after })).application.restorePoints;
const volumePoints = async () =>
  (
    await admin.data<{
      workspace: {
        storageVolume: {
          restorePoints: Page;
          restorePointHoldings: Array<{ backupName: string; deleted: boolean; applicationName: string; count: number }>;
        };
      };
    }>(VOLUME_POINTS, { w: acme, v: volume.id })
  ).workspace.storageVolume;

async function backUp(backupId: string): Promise<string> {
  const { id } = (await admin.data<{ runBackupNow: { id: string } }>(RUN_NOW, { id: backupId })).runBackupNow;
  const run = await eventually(
    async () =>
      (
        await admin.data<{ backup: { runs: { nodes: Array<{ id: string; status: string; message: string }> } } }>(RUNS, { id: backupId })
      ).backup.runs.nodes.find((r) => r.id === id && ["SUCCEEDED", "FAILED"].includes(r.status)),
    "the backup run to finish",
    90_000,
  );
  expect(run.status, run.message).toBe("SUCCEEDED");
  return id;
}

async function runOutcome(id: string) {
  return eventually(
    async () => {
      const run = (await admin.data<{ backupRun: { id: string; status: string; message: string } }>(RUN, { id })).backupRun;
      return ["SUCCEEDED", "FAILED", "PARTIALLY_SUCCEEDED"].includes(run.status) ? run : undefined;
    },
    "the run to finish",
    90_000,
  );
}

async function catalogOutcome(id: string): Promise<CatalogJob> {
  return eventually(
    async () => {
      const job = (await admin.data<{ catalogJob: CatalogJob }>(CATALOG_JOB, { id })).catalogJob;
      return ["SUCCEEDED", "FAILED"].includes(job.status) ? job : undefined;
    },
    "the catalog job to finish",
    90_000,
  );
}

async function rescan(): Promise<CatalogJob> {
  const job = (await admin.data<{ rescanStorageVolume: { id: string; kind: string } }>(RESCAN, { v: volume.id })).rescanStorageVolume;
  expect(job.kind).toBe("RESCAN");
  return catalogOutcome(job.id);
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

/** Plain restic on the repository, as an operator would run it. */
async function restic(args: string[]) {
  const secret = await core().readNamespacedSecret({ name: "hks-repository-key", namespace: "shop" });
  const env = {
    PATH: process.env["PATH"],
    HOME: os.tmpdir(),
    RESTIC_CACHE_DIR: path.join(os.tmpdir(), "hks-restic-points-cache"),
    RESTIC_PASSWORD: Buffer.from(secret.data!["password"]!, "base64").toString("utf8"),
  };
  return (await exec("restic", ["-r", repoDir(), ...args], { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
}

const claimOf = async (name: string) =>
  (await core().listNamespacedPersistentVolumeClaim({ namespace: "shop" })).items.find((c) => c.metadata?.name === name);

describe("restore points", () => {
  it("lists a Backup's successful runs per application and per volume, newest first, in pages", async () => {
    nightly = (
      await admin.data<{ createBackup: typeof nightly }>(CREATE, {
        input: {
          applicationId: shop,
          name: "nightly",
          schedule: "0 2 * * *",
          source: { pvcName: "shop-db-data" },
          destination: { volumeId: volume.id, path: "shop/points" },
          function: { kind: "TAR" },
        },
      })
    ).createBackup;
    runIds = [await backUp(nightly.id), await backUp(nightly.id)];

    const all = await appPoints();
    const mine = all.nodes.filter((p) => p.backupId === nightly.id);
    expect(mine.map((p) => p.id)).toEqual([runIds[1], runIds[0]]);
    expect(mine[0]).toMatchObject({
      backupName: "nightly",
      backupDeleted: false,
      applicationName: "shop",
      folder: "shop/points",
      volume: { name: "points-vol" },
      recovered: false,
      files: 5,
      run: { id: runIds[1], kind: "BACKUP", status: "SUCCEEDED" },
    });
    expect(mine[0]!.totalBytes).toBeGreaterThan(0);
    expect(mine[0]!.snapshot).toMatch(/^[0-9a-f]{64}$/);

    const first = await appPoints(1);
    expect(first.totalCount).toBe(all.totalCount);
    expect(first.hasNextPage).toBe(all.totalCount > 1);
    const second = await appPoints(1, first.endCursor!);
    expect(second.nodes[0]!.id).toBe(all.nodes[1]!.id);
    expect((await admin.error(APP_POINTS, { id: shop, first: 5, after: "not-a-cursor" })).code).toBe("INVALID_INPUT");

    const onVolume = await volumePoints();
    expect(onVolume.restorePoints.nodes.map((p) => p.id)).toEqual([runIds[1], runIds[0]]);
  });

  it("keeps a deleted Backup's restore points listed and restorable, and removes the claim HKS made", async () => {
    expect(await claimOf("hks-points-vol")).toBeTruthy();
    const deleted = (
      await admin.data<{ deleteBackup: { deletedAt: string; restorePointCount: number; forgetJob: null } }>(DELETE, { id: nightly.id })
    ).deleteBackup;
    expect(deleted).toMatchObject({ restorePointCount: 2, forgetJob: null });
    expect(deleted.deletedAt).toBeTruthy();
    expect((await admin.error(`query($id: ID!) { backup(id: $id) { id } }`, { id: nightly.id })).code).toBe("NOT_FOUND");

    const points = (await volumePoints()).restorePoints.nodes;
    expect(points.map((p) => [p.id, p.backupDeleted, p.backupRecovered])).toEqual([
      [runIds[1], true, false],
      [runIds[0], true, false],
    ]);
    // No live Backup uses the volume in 'shop': the claim HKS made goes, and the PV (Retain) keeps the data, free to bind again.
    expect(await claimOf("hks-points-vol")).toBeUndefined();
    const pv = await core().readPersistentVolume({ name: volume.persistentVolumeName });
    expect(pv.spec?.claimRef ?? null).toBeNull();
    expect(pv.status?.phase).toBe("Available");
    expect(await readFile(path.join(repoDir(), "config"))).toBeTruthy();

    const restore = (
      await admin.data<{ restoreBackupRun: { id: string } }>(RESTORE, {
        input: { runId: runIds[0], targetPvcName: "shop-points-restored", createTarget: true, targetSizeGiB: 2 },
      })
    ).restoreBackupRun;
    const outcome = await runOutcome(restore.id);
    expect(outcome.status, outcome.message).toBe("SUCCEEDED");
    // The restore mounted the volume through a new claim, which bound the same PV again.
    expect((await claimOf("hks-points-vol"))?.spec?.volumeName).toBe(volume.persistentVolumeName);
    const target = await claimOf("shop-points-restored");
    const source = await claimOf("shop-db-data");
    expect(await listFiles(folderOf(target!.spec!.volumeName!))).toEqual(await listFiles(folderOf(source!.spec!.volumeName!)));
  });

  it("shows a restore of a deleted Backup's restore point on the point, live until it ends, with its error when it fails", async () => {
    const LAST = `query($id: ID!) { application(id: $id) { restorePoints(first: 50) { nodes { id lastRestore { id kind status message } } } } }`;
    type Last = { id: string; kind: string; status: string; message: string | null } | null;
    const lastRestore = async (pointId: string): Promise<Last> =>
      (
        await admin.data<{ application: { restorePoints: { nodes: Array<{ id: string; lastRestore: Last }> } } }>(LAST, { id: shop })
      ).application.restorePoints.nodes.find((p) => p.id === pointId)!.lastRestore;
    // The previous test's restore is the point's newest; the other point was never restored.
    expect(await lastRestore(runIds[0]!)).toMatchObject({ kind: "RESTORE", status: "SUCCEEDED" });
    expect(await lastRestore(runIds[1]!)).toBeNull();

    // Into the claim the last restore filled, without overwrite: the function refuses, and the point says why.
    const again = (
      await admin.data<{ restoreBackupRun: { id: string } }>(RESTORE, {
        input: { runId: runIds[1], targetPvcName: "shop-points-restored", createTarget: false, overwrite: false },
      })
    ).restoreBackupRun;
    const started = await lastRestore(runIds[1]!);
    expect(started).toMatchObject({ id: again.id, kind: "RESTORE" });
    expect(["SCHEDULED", "RUNNING", "FAILED"]).toContain(started!.status);
    const failed = await eventually(
      async () => {
        const last = await lastRestore(runIds[1]!);
        return last?.status === "FAILED" ? last : undefined;
      },
      "the restore to fail",
      90_000,
    );
    expect(failed.message).toMatch(/already holds .*nothing was changed/);
  }, 120_000);

  it("refuses to delete the volume that holds them without a confirmation naming them", async () => {
    const refused = await admin.error(DELETE_VOLUME, { id: volume.id });
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toMatch(/holds 2 restore points/);
    expect(refused.message).toMatch(/'nightly' \(shop, deleted\): 2/);
    expect(refused.message).toMatch(/confirmRestorePoints/);
    expect((await member.error(DELETE_VOLUME, { id: volume.id, confirm: true })).code).toBe("FORBIDDEN");
    const holdings = (await volumePoints()).restorePointHoldings;
    expect(holdings).toEqual([expect.objectContaining({ backupName: "nightly", deleted: true, applicationName: "shop", count: 2 })]);
  });

  it("rebuilds the catalog from the repository after the database lost the runs and the Backup", async () => {
    expect((await member.error(RESCAN, { v: volume.id })).code).toBe("FORBIDDEN");
    expect((await outsider.error(RESCAN, { v: volume.id })).code).toBe("NOT_FOUND");
    expect((await outsider.error(VOLUME_POINTS, { w: acme, v: volume.id })).code).toMatch(/FORBIDDEN|NOT_FOUND/);

    const db = stack.database.db;
    await db.execute(sql`delete from backup_events where backup_id = ${nightly.id}`);
    await db.execute(sql`delete from backup_runs where backup_id = ${nightly.id} and kind <> 'BACKUP'`);
    await db.execute(sql`delete from backup_runs where backup_id = ${nightly.id}`);
    await db.execute(sql`delete from backups where id = ${nightly.id}`);
    expect((await volumePoints()).restorePoints.totalCount).toBe(0);

    const job = await rescan();
    expect(job.status, job.message ?? "").toBe("SUCCEEDED");
    expect(job.outcome).toMatchObject({ repositories: 1, snapshots: 2, recorded: 2, recoveredBackups: 1, pruned: 0, unassigned: 0 });
    expect(job.message).toMatch(/2 missing restore point\(s\) recorded again/);
    expect(job.message).toMatch(/'nightly'/);

    const points = (await volumePoints()).restorePoints.nodes;
    expect(points).toHaveLength(2);
    expect(points.every((p) => p.backupId === nightly.id && p.backupName === "nightly" && p.backupDeleted && p.recovered)).toBe(true);
    // Its schedule and function are placeholders: the API says so.
    expect(points.every((p) => p.backupRecovered)).toBe(true);
    expect(points[0]!.files).toBe(5);
    expect(points[0]!.totalBytes).toBeGreaterThan(0);
    expect(new Date(points[0]!.time).getTime()).toBeGreaterThan(new Date(points[1]!.time).getTime());

    const again = await rescan();
    expect(again.outcome).toMatchObject({ snapshots: 2, recorded: 0, recoveredBackups: 0, pruned: 0 });
    expect((await volumePoints()).restorePoints.totalCount).toBe(2);

    const restore = (
      await admin.data<{ restoreBackupRun: { id: string } }>(RESTORE, {
        input: { runId: points[1]!.id, targetPvcName: "shop-points-recovered", createTarget: true, targetSizeGiB: 2 },
      })
    ).restoreBackupRun;
    const outcome = await runOutcome(restore.id);
    expect(outcome.status, outcome.message).toBe("SUCCEEDED");
    const target = await claimOf("shop-points-recovered");
    const source = await claimOf("shop-db-data");
    expect(await listFiles(folderOf(target!.spec!.volumeName!))).toEqual(await listFiles(folderOf(source!.spec!.volumeName!)));
  });

  it("marks restore points whose snapshot left the repository as pruned", async () => {
    const points = (await volumePoints()).restorePoints.nodes;
    await restic(["forget", points[1]!.snapshot]);
    const job = await rescan();
    expect(job.outcome).toMatchObject({ snapshots: 1, recorded: 0, pruned: 1 });
    expect((await volumePoints()).restorePoints.nodes.map((p) => p.id)).toEqual([points[0]!.id]);
  });

  it("deletes a Backup with its restore points when asked, and never another Backup's", async () => {
    const second = (
      await admin.data<{ createBackup: { id: string } }>(CREATE, {
        input: {
          applicationId: shop,
          name: "second",
          schedule: "0 3 * * *",
          source: { pvcName: "shop-db-data" },
          destination: { volumeId: volume.id, path: "shop/points" },
          function: { kind: "TAR" },
        },
      })
    ).createBackup;
    const run = await backUp(second.id);
    expect((await volumePoints()).restorePoints.nodes.map((p) => p.id)).toContain(run);
    expect((await member.error(DELETE, { id: second.id, keep: false })).code).toBe("FORBIDDEN");

    const deleted = (await admin.data<{ deleteBackup: { forgetJob: { id: string } | null } }>(DELETE, { id: second.id, keep: false }))
      .deleteBackup;
    expect(deleted.forgetJob).toBeTruthy();
    const forget = await catalogOutcome(deleted.forgetJob!.id);
    expect(forget.status, forget.message ?? "").toBe("SUCCEEDED");
    expect(forget.message).toMatch(/Removed the 1 snapshot/);

    const left = (await volumePoints()).restorePoints.nodes;
    expect(left.map((p) => p.backupName)).toEqual(["nightly"]);
    const inRepo = JSON.parse(await restic(["snapshots", "--json"])) as Array<{ tags: string[] }>;
    expect(inRepo.map((s) => s.tags.find((t) => t.startsWith("hks-backup:")))).toEqual([`hks-backup:${nightly.id}`]);
  });

  it("deletes the volume once confirmed, never blocked by the claim HKS made itself", async () => {
    // A restore of the deleted Backup's point mounts the volume through a claim HKS makes again, and leaves it there.
    const [point] = (await volumePoints()).restorePoints.nodes;
    const restore = (
      await admin.data<{ restoreBackupRun: { id: string } }>(RESTORE, {
        input: { runId: point!.id, targetPvcName: "shop-points-last", createTarget: true, targetSizeGiB: 2 },
      })
    ).restoreBackupRun;
    expect((await runOutcome(restore.id)).status).toBe("SUCCEEDED");
    expect((await core().readPersistentVolume({ name: volume.persistentVolumeName })).spec?.claimRef?.name).toBe("hks-points-vol");
    const deleting = (await admin.data<{ deleteStorageVolume: { status: string } }>(DELETE_VOLUME, { id: volume.id, confirm: true }))
      .deleteStorageVolume;
    expect(deleting.status).toBe("DELETING");
    expect(await claimOf("hks-points-vol")).toBeUndefined();
  });
});
