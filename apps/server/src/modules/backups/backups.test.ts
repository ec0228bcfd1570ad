import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";
import { kubeFor } from "../../test/kube.js";

const RUN = `id kind trigger status failureReason message jobName bytesWritten files snapshot verifyState restoreTarget startedAt finishedAt`;
const BACKUP = `id name schedule timeZone scheduleDescription nextRunAt suspended concurrencyPolicy cronJobName reconcileError
  source { pvcName } destination { volumeId path } function { kind compression } retention { keepLast keepDaily }
  lastRun { ${RUN} }`;
const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { ${BACKUP} } }`;
const UPDATE = `mutation($input: UpdateBackupInput!) { updateBackup(input: $input) { ${BACKUP} } }`;
const RUN_NOW = `mutation($id: ID!) { runBackupNow(id: $id) { ${RUN} } }`;
const RESTORE = `mutation($input: RestoreBackupRunInput!) { restoreBackupRun(input: $input) { ${RUN} } }`;
const VERIFY = `mutation($id: ID!) { verifyBackupRun(runId: $id) { ${RUN} } }`;
const RUNS = `query($id: ID!) { backup(id: $id) { runs(first: 50) { totalCount nodes { ${RUN} logs } } prunePreview { snapshot } } }`;
const APP = `query($id: ID!) { application(id: $id) { name namespace backups { id name } claims { name coveredByBackup isStorageVolume } } }`;

type Run = {
  id: string;
  kind: string;
  status: string;
  failureReason: string | null;
  message: string | null;
  bytesWritten: number | null;
  files: number | null;
  snapshot: string | null;
  verifyState: string;
  logs?: string | null;
};
type Backup = {
  id: string;
  name: string;
  cronJobName: string;
  scheduleDescription: string;
  nextRunAt: string;
  destination: { path: string };
};

let stack: TestStack;
let admin: GraphQLClient;
let member: GraphQLClient;
let acme: string;
let shop: string;
let backupVolume: { id: string; persistentVolumeName: string };

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  member = await stack.login("dev@acme.test");
  acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
  backupVolume = await provisionVolume(admin, acme, "backup-vol-1", 500);
}, 120_000);
afterAll(() => stack?.stop());

const input = (over: Record<string, unknown> = {}) => ({
  applicationId: shop,
  name: "nightly",
  schedule: "0 2 * * *",
  timeZone: "Europe/Berlin",
  source: { pvcName: "shop-db-data" },
  destination: { volumeId: backupVolume.id, path: "shop/db" },
  function: { kind: "TAR", compression: "ZSTD" },
  // These tests read the plain layout's files; restic-repositories.test.ts covers the RESTIC default.
  format: "PLAIN",
  retention: { keepLast: 7 },
  ...over,
});

const runs = async (backupId: string) =>
  (await admin.data<{ backup: { runs: { nodes: Run[] } } }>(RUNS, { id: backupId })).backup.runs.nodes;
const finished = (backupId: string, runId: string) =>
  eventually(
    async () => {
      const run = (await runs(backupId)).find((r) => r.id === runId);
      return run && ["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED"].includes(run.status) ? run : undefined;
    },
    `run ${runId} to finish`,
    30_000,
  );

const folderOf = (pvName: string) => stack.lab.clusters.get("acme")!.volumeFolder(pvName)!;

async function listFiles(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path.join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

describe("a backup of shop-db-data into backup-vol-1:/shop/db", () => {
  let backup: Backup;

  it("becomes a CronJob in the shop namespace, with the destination claim bound to the volume", async () => {
    backup = (await admin.data<{ createBackup: Backup }>(CREATE, { input: input() })).createBackup;
    expect(backup.scheduleDescription).toBe("At 02:00 (Europe/Berlin)");
    expect(backup.cronJobName.length).toBeLessThanOrEqual(52);
    const batch = stack.lab.clusters.get("acme")!.store;
    const cron = batch.get("batch/v1", "CronJob", "shop", backup.cronJobName) as { spec: Record<string, unknown> } | undefined;
    expect(cron?.spec).toMatchObject({ schedule: "0 2 * * *", timeZone: "Europe/Berlin", concurrencyPolicy: "Forbid", suspend: false });
    const claim = await kubeFor(stack.lab, "acme").core.readNamespacedPersistentVolumeClaim({
      name: "hks-backup-vol-1",
      namespace: "shop",
    });
    expect(claim.spec?.volumeName).toBe(backupVolume.persistentVolumeName);
    expect(claim.status?.phase).toBe("Bound");

    const app = (
      await admin.data<{ application: { claims: Array<{ name: string; coveredByBackup: boolean; isStorageVolume: boolean }> } }>(APP, {
        id: shop,
      })
    ).application;
    expect(app.claims).toContainEqual({ name: "shop-db-data", coveredByBackup: true, isStorageVolume: false });
    expect(app.claims).toContainEqual({ name: "hks-backup-vol-1", coveredByBackup: false, isStorageVolume: true });
  });

  it("runs now, really copying the claim's files into the volume, and reports size and outcome", async () => {
    const started = (await admin.data<{ runBackupNow: Run }>(RUN_NOW, { id: backup.id })).runBackupNow;
    expect(started.status).toBe("SCHEDULED");
    const run = await finished(backup.id, started.id);
    expect(run, JSON.stringify(run)).toMatchObject({ kind: "BACKUP", status: "SUCCEEDED", failureReason: null });
    expect(run.snapshot, JSON.stringify(run)).toMatch(/^\d{8}T\d{6}Z\.tar\.zst$/);
    expect(run.bytesWritten).toBeGreaterThan(1024 * 1024);
    expect(run.files).toBe(5);
    const archive = path.join(folderOf(backupVolume.persistentVolumeName), "shop/db", run.snapshot!);
    // Sizes are in lab units, like the volume usage: a lab GiB is bytesPerGiB real bytes.
    expect(Math.round(((await stat(archive)).size * 1024 ** 3) / stack.lab.bytesPerGiB)).toBe(run.bytesWritten);
    const logged = (await runs(backup.id)).find((r) => r.id === run.id)!;
    expect(logged.logs).toBeTruthy();
  });

  it("restores a run into a new claim, byte for byte", async () => {
    const [run] = (await runs(backup.id)).filter((r) => r.status === "SUCCEEDED");
    const restore = (
      await admin.data<{ restoreBackupRun: Run }>(RESTORE, {
        input: { runId: run!.id, targetPvcName: "shop-db-restored", createTarget: true, targetSizeGiB: 2 },
      })
    ).restoreBackupRun;
    expect((await finished(backup.id, restore.id)).status).toBe("SUCCEEDED");
    const pvc = await kubeFor(stack.lab, "acme").core.readNamespacedPersistentVolumeClaim({ name: "shop-db-restored", namespace: "shop" });
    const sourcePvc = await kubeFor(stack.lab, "acme").core.readNamespacedPersistentVolumeClaim({
      name: "shop-db-data",
      namespace: "shop",
    });
    const restored = folderOf(pvc.spec!.volumeName!);
    const original = folderOf(sourcePvc.spec!.volumeName!);
    expect(await listFiles(restored)).toEqual(await listFiles(original));
    expect(await readFile(path.join(restored, "base/16384/2619"))).toEqual(await readFile(path.join(original, "base/16384/2619")));
    // Without overwrite, a claim that holds data is not touched.
    const again = (await admin.data<{ restoreBackupRun: Run }>(RESTORE, { input: { runId: run!.id, targetPvcName: "shop-db-restored" } }))
      .restoreBackupRun;
    const refused = await finished(backup.id, again.id);
    expect(refused.status).toBe("FAILED");
    expect(refused.message).toMatch(/not empty|overwrite/i);
  });

  it("recognises a claim a restore created, and lets an admin dismiss the flag", async () => {
    const CLAIMS = `query($id: ID!) { application(id: $id) { claims { name coveredByBackup restoredFrom dismissed } } }`;
    const claim = async (client = admin) =>
      (
        await client.data<{
          application: { claims: Array<{ name: string; coveredByBackup: boolean; restoredFrom: string | null; dismissed: boolean }> };
        }>(CLAIMS, { id: shop })
      ).application.claims.find((c) => c.name === "shop-db-restored");
    expect(await claim()).toEqual({ name: "shop-db-restored", coveredByBackup: false, restoredFrom: backup.name, dismissed: false });

    const DISMISS = `mutation($a: ID!, $c: String!) { dismissUncoveredClaim(applicationId: $a, claimName: $c) { id } }`;
    expect((await member.error(DISMISS, { a: shop, c: "shop-db-restored" })).code).toBe("FORBIDDEN");
    await admin.data(DISMISS, { a: shop, c: "shop-db-restored" });
    // Persisted: every member sees it dismissed.
    expect((await claim(member))?.dismissed).toBe(true);
  });

  it("verifies a run on demand, shown on the run it verified rather than as a run of its own", async () => {
    const [run] = (await runs(backup.id)).filter((r) => r.kind === "BACKUP" && r.status === "SUCCEEDED");
    const verify = (await admin.data<{ verifyBackupRun: Run }>(VERIFY, { id: run!.id })).verifyBackupRun;
    const VERIFICATIONS = `query($id: ID!) { backupRun(id: $id) { verifyState verifications { id kind status } } }`;
    const checked = await eventually(async () => {
      const r = (await admin.data<{ backupRun: { verifyState: string; verifications: Run[] } }>(VERIFICATIONS, { id: run!.id })).backupRun;
      return r.verifyState === "VERIFIED" ? r : undefined;
    }, "the run to show as verified");
    expect(checked.verifications).toEqual([{ id: verify.id, kind: "VERIFY", status: "SUCCEEDED" }]);
    // The runs list holds backups and restores only: no "0 B" row for the verification.
    expect((await runs(backup.id)).some((r) => r.kind === "VERIFY")).toBe(false);
  });

  it("reports a destination that is too small as QUOTA_EXCEEDED and records the event", async () => {
    const tiny = await provisionVolume(admin, acme, "tiny-vol", 1);
    const b = (
      await admin.data<{ createBackup: Backup }>(CREATE, {
        input: input({ name: "too-big", destination: { volumeId: tiny.id, path: "db" } }),
      })
    ).createBackup;
    const started = (await admin.data<{ runBackupNow: Run }>(RUN_NOW, { id: b.id })).runBackupNow;
    const run = await finished(b.id, started.id);
    expect(run).toMatchObject({ status: "FAILED", failureReason: "QUOTA_EXCEEDED" });
    expect(run.message).toMatch(/free|space|expand/i);
    expect(await readdir(path.join(folderOf(tiny.persistentVolumeName), "db"))).toEqual([]);
    const repo = (await import("./backup.repository.js")).BackupRepository;
    // The event follows the run's final state within one tracker pass.
    const events = await eventually(async () => {
      const all = (await new repo(stack.database.db, acme).events()).filter((e) => e.kind === "QUOTA_EXCEEDED" && e.runId === run.id);
      return all.length ? all : undefined;
    }, "the QUOTA_EXCEEDED event");
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ reason: "QUOTA_EXCEEDED" });
  });

  it("suspends, resumes and edits the CronJob, writing nothing when nothing changed", async () => {
    const store = stack.lab.clusters.get("acme")!.store;
    const cronOf = () =>
      store.get("batch/v1", "CronJob", "shop", backup.cronJobName) as {
        metadata: { resourceVersion: string };
        spec: { suspend: boolean; schedule: string };
      };
    await admin.data(`mutation($id: ID!) { suspendBackup(id: $id) { id } }`, { id: backup.id });
    expect(cronOf().spec.suspend).toBe(true);
    await admin.data(`mutation($id: ID!) { resumeBackup(id: $id) { id } }`, { id: backup.id });
    expect(cronOf().spec.suspend).toBe(false);
    const before = cronOf().metadata.resourceVersion;
    const stats = await stack.services.reconciler.reconcileAll();
    expect(stats.writes).toBe(0);
    expect(cronOf().metadata.resourceVersion).toBe(before);
    // What the vCluster's API received in another pass: nothing at all. The CronJobs and PVs come from the watches'
    // caches (they used to be one list each per pass), and the run tracker, also fed by watches, asks nothing either.
    const api = stack.lab.clusters.get("acme")!.requests;
    api.reset();
    await stack.services.reconciler.reconcileAll();
    expect(api.counts()).toMatchObject({ writes: 0, reads: 0 });
    await admin.data(UPDATE, { input: { id: backup.id, schedule: "30 3 * * 0", timeZone: "UTC" } });
    expect(cronOf().spec.schedule).toBe("30 3 * * 0");
  });

  // The tracker writes a run's outcome and what it pruned in one transaction: a reader that sees the run SUCCEEDED
  // also sees the pruned snapshot gone (they used to be two writes, and a reader in between saw three snapshots).
  it("applies retention after each successful run, previewing what the next prune removes", async () => {
    const name = "keep-two";
    const b = (
      await admin.data<{ createBackup: Backup }>(CREATE, {
        input: input({ name, destination: { volumeId: backupVolume.id, path: `shop/${name}` }, retention: { keepLast: 2 } }),
      })
    ).createBackup;
    const snapshots: string[] = [];
    for (let i = 0; i < 3; i++) {
      const started = (await admin.data<{ runBackupNow: Run }>(RUN_NOW, { id: b.id })).runBackupNow;
      const run = await finished(b.id, started.id);
      expect(run.status).toBe("SUCCEEDED");
      snapshots.push(run.snapshot!);
      if (i < 2) await new Promise((r) => setTimeout(r, 1100)); // snapshot names have one-second resolution
      if (i === 1) {
        const preview = (await admin.data<{ backup: { prunePreview: Array<{ snapshot: string }> } }>(RUNS, { id: b.id })).backup
          .prunePreview;
        expect(preview.map((p) => p.snapshot)).toEqual([snapshots[0]]);
      }
    }
    const onVolume = (await readdir(path.join(folderOf(backupVolume.persistentVolumeName), `shop/${name}`))).sort();
    expect(onVolume, `runs wrote ${snapshots.join(", ")}`).toEqual([snapshots[1], snapshots[2]].sort());
    const { BackupRepository } = await import("./backup.repository.js");
    const live = await new BackupRepository(stack.database.db, acme).liveSnapshots(b.id);
    expect(live.map((r) => r.snapshot).sort(), "the database's live snapshots, read as soon as the run shows SUCCEEDED").toEqual(
      [snapshots[1], snapshots[2]].sort(),
    );
    await admin.data(`mutation($id: ID!) { deleteBackup(id: $id) { id } }`, { id: b.id });
  });

  it("keeps the destination volume from being deleted while a backup writes to it", async () => {
    const error = await admin.error(`mutation($id: ID!) { deleteStorageVolume(id: $id) { id } }`, { id: backupVolume.id });
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("'nightly'");
  });

  it("deletes the CronJob with the backup, keeping its run history", async () => {
    const before = (await runs(backup.id)).length;
    await admin.data(`mutation($id: ID!) { deleteBackup(id: $id) { id } }`, { id: backup.id });
    expect(stack.lab.clusters.get("acme")!.store.get("batch/v1", "CronJob", "shop", backup.cronJobName)).toBeUndefined();
    const app = (await admin.data<{ application: { backups: Array<{ id: string }> } }>(APP, { id: shop })).application;
    expect(app.backups.map((b) => b.id)).not.toContain(backup.id);
    const repo = (await import("./backup.repository.js")).BackupRepository;
    expect((await new repo(stack.database.db, acme).runs(backup.id, { first: 100 })).length).toBe(before);
  });
});

describe("bad backup input changes nothing", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["an invalid cron", { schedule: "0 25 * * *" }, "schedule"],
    ["six cron fields", { schedule: "0 0 2 * * *" }, "schedule"],
    ["TZ inside the schedule", { schedule: "CRON_TZ=UTC 0 2 * * *" }, "schedule"],
    ["an unknown zone", { timeZone: "Europe/Atlantis" }, "timeZone"],
    ["a schedule more frequent than the plan allows", { schedule: "*/5 * * * *" }, "schedule"],
    ["an absolute destination path", { destination: { volumeId: "", path: "/etc" } }, "destination.path"],
    ["a path that climbs out", { destination: { volumeId: "", path: "shop/../../x" } }, "destination.path"],
    ["an empty path segment", { destination: { volumeId: "", path: "shop//db" } }, "destination.path"],
    ["a control character", { destination: { volumeId: "", path: "shop/\u0007db" } }, "destination.path"],
    ["a missing source claim", { source: { pvcName: "no-such-claim" } }, "source.pvcName"],
    [
      "an unknown destination volume",
      { destination: { volumeId: "00000000-0000-4000-8000-000000000000", path: "x" } },
      "destination.volumeId",
    ],
    ["a bad name", { name: "Nightly Backup" }, "name"],
    ["a custom function without an image", { function: { kind: "CUSTOM", script: "true" } }, "function.image"],
    ["a database function without a database", { function: { kind: "PG_DUMP" } }, "function.database"],
    ["a zero retention", { retention: { keepLast: 0 } }, "retention.keepLast"],
  ];
  it.each(cases)("refuses %s", async (_title, over, field) => {
    const patch = { ...over } as Record<string, unknown>;
    const dest = patch["destination"] as { volumeId: string; path: string } | undefined;
    if (dest && !dest.volumeId) patch["destination"] = { ...dest, volumeId: backupVolume.id };
    const before = stack.lab.clusters.get("acme")!.store.list("batch/v1", "CronJob", {}).length;
    const error = await admin.error(CREATE, { input: input({ name: "refused", ...patch }) });
    expect(error).toMatchObject({ code: "INVALID_INPUT", field });
    expect(stack.lab.clusters.get("acme")!.store.list("batch/v1", "CronJob", {}).length).toBe(before);
  });

  it("lets members read backups but not create or run them", async () => {
    expect((await member.error(CREATE, { input: input({ name: "members" }) })).code).toBe("FORBIDDEN");
    const app = (await member.data<{ application: { name: string } }>(APP, { id: shop })).application;
    expect(app.name).toBe("shop");
  });
});

describe("runs that should have happened and did not", () => {
  it("are recorded as MISSED, once per scheduled time, and never as success", async () => {
    const { BackupRunTracker } = await import("./run-tracker.js");
    const { WorkspaceRepository } = await import("../workspaces/workspace.repository.js");
    const { createInProcessPubSub } = await import("../../graphql/pubsub.js");
    const { createLogger } = await import("../../logger.js");
    const { VClusters } = await import("../../platform/kubernetes/vclusters.js");
    const b = (
      await admin.data<{ createBackup: Backup & { id: string } }>(CREATE, {
        input: input({ name: "quarterly", schedule: "*/15 * * * *", timeZone: "UTC" }),
      })
    ).createBackup;
    // Suspend it on the cluster so the lab never starts these runs, while our record says they are due.
    const store = stack.lab.clusters.get("acme")!.store;
    const cron = store.get("batch/v1", "CronJob", "shop", b.cronJobName) as { spec: { suspend: boolean } };
    store.update({ ...cron, spec: { ...cron.spec, suspend: true } } as never);
    const { createdAt } = (
      await admin.data<{ backup: { createdAt: string } }>(`query($id: ID!) { backup(id: $id) { createdAt } }`, { id: b.id })
    ).backup;
    // An hour after creation (less a second, plus the 11 minutes' grace): exactly four quarter-hours are due.
    let now = new Date(Date.parse(createdAt) + 60 * 60_000 - 1000 + 660_000);
    const tracker = new BackupRunTracker({
      db: stack.database.db,
      vclusters: new VClusters(stack.lab.dir!),
      workspaces: new WorkspaceRepository(stack.database.db),
      pubsub: createInProcessPubSub(),
      logger: createLogger({ silent: true }),
      missedAfterSeconds: 660,
      now: () => now,
    });
    await tracker.sync();
    const missed = (await runs(b.id)).filter((r) => r.status === "MISSED");
    expect(missed.length).toBe(4);
    expect(missed.every((r) => r.message?.includes("No run started"))).toBe(true);
    await tracker.sync();
    expect((await runs(b.id)).filter((r) => r.status === "MISSED").length).toBe(4);
    now = new Date(now.getTime() + 15 * 60_000);
    await tracker.sync();
    expect((await runs(b.id)).filter((r) => r.status === "MISSED").length).toBe(5);
    const last = (
      await admin.data<{ backup: { lastRun: Run } }>(`query($id: ID!) { backup(id: $id) { lastRun { ${RUN} } } }`, { id: b.id })
    ).backup.lastRun;
    expect(last.status).toBe("MISSED");
  });
});
