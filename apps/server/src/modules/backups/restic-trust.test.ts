import { randomBytes } from "node:crypto";
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { BatchV1Api, KubeConfig } from "@kubernetes/client-node";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentEvents } from "../../db/schema/index.js";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";
import { kubeFor } from "../../test/kube.js";

const RUN = `id kind status failureReason message jobName snapshot restoreTarget safetySnapshot restic { bytesRead }`;
const BACKUP = `id name format cronJobName
  check { schedule readDataSubset description nextRunAt cronJobName }
  repository { storedBytes logicalBytes dedupRatio snapshotCount measuredAt }`;
const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { ${BACKUP} } }`;
const UPDATE = `mutation($input: UpdateBackupInput!) { updateBackup(input: $input) { ${BACKUP} } }`;
const GET = `query($id: ID!) { backup(id: $id) { ${BACKUP} } }`;
const RUN_NOW = `mutation($id: ID!) { runBackupNow(id: $id) { id } }`;
const RUNS = `query($id: ID!) { backup(id: $id) { runs(first: 50) { nodes { ${RUN} } } } }`;
const RESTORE = `mutation($input: RestoreBackupRunInput!) { restoreBackupRun(input: $input) { id } }`;
const PUT_BACK = `mutation($id: ID!) { putBackSafetySnapshot(runId: $id) { id kind restoreTarget } }`;

type Run = {
  id: string;
  kind: string;
  status: string;
  failureReason: string | null;
  message: string | null;
  jobName: string;
  snapshot: string | null;
  restoreTarget: string | null;
  safetySnapshot: string | null;
  restic: { bytesRead: number } | null;
};
type Backup = {
  id: string;
  name: string;
  format: string;
  cronJobName: string;
  check: { schedule: string; readDataSubset: string | null; description: string; nextRunAt: string | null; cronJobName: string } | null;
  repository: { storedBytes: number; logicalBytes: number; dedupRatio: number | null; snapshotCount: number; measuredAt: string } | null;
};

let stack: TestStack;
let admin: GraphQLClient;
let member: GraphQLClient;
let acme: string;
let shop: string;
let volume: { id: string; persistentVolumeName: string };
let backup: Backup;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  member = await stack.login("dev@acme.test");
  acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
  volume = await provisionVolume(admin, acme, "trust-vol", 500);
}, 120_000);
afterAll(() => stack?.stop());

const input = (over: Record<string, unknown> = {}) => ({
  applicationId: shop,
  name: "trust",
  schedule: "0 2 * * *",
  source: { pvcName: "shop-db-data" },
  destination: { volumeId: volume.id, path: "shop/trust" },
  function: { kind: "TAR" },
  retention: { keepLast: 7 },
  ...over,
});
const runs = async () => (await admin.data<{ backup: { runs: { nodes: Run[] } } }>(RUNS, { id: backup.id })).backup.runs.nodes;
const finished = (match: (r: Run) => boolean) =>
  eventually(
    async () => (await runs()).find((r) => match(r) && ["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED"].includes(r.status)),
    "the run to finish",
    90_000,
  );
const runNow = async () => {
  const { id } = (await admin.data<{ runBackupNow: { id: string } }>(RUN_NOW, { id: backup.id })).runBackupNow;
  return finished((r) => r.id === id);
};
const store = () => stack.lab.clusters.get("acme")!.store;
const folderOf = (pvName: string) => stack.lab.clusters.get("acme")!.volumeFolder(pvName)!;
const repoDir = () => path.join(folderOf(volume.persistentVolumeName), "shop/trust");
const backupCount = async () =>
  (await admin.data<{ application: { backups: unknown[] } }>(`query($id: ID!) { application(id: $id) { backups { id } } }`, { id: shop }))
    .application.backups.length;

/** Starts the Job a CronJob starts at its scheduled time, from its template. */
async function jobFromCronJob(cronJobName: string, suffix: string): Promise<string> {
  const cron = store().get("batch/v1", "CronJob", "shop", cronJobName) as {
    spec: { jobTemplate: { metadata: { labels: Record<string, string> }; spec: unknown } };
  };
  const jobName = `${cronJobName}-${suffix}`;
  const config = new KubeConfig();
  config.loadFromFile(path.join(stack.lab.dir!, "acme.kubeconfig"));
  await config.makeApiClient(BatchV1Api).createNamespacedJob({
    namespace: "shop",
    body: { metadata: { name: jobName, labels: cron.spec.jobTemplate.metadata.labels }, spec: cron.spec.jobTemplate.spec as never },
  });
  return jobName;
}

/** Flips bytes in the middle of the largest pack file (file data, not the trees), as a failing disk would. */
async function damageData(repo: string): Promise<void> {
  const packs: Array<{ file: string; size: number }> = [];
  for (const sub of await readdir(path.join(repo, "data"))) {
    for (const pack of await readdir(path.join(repo, "data", sub))) {
      const file = path.join(repo, "data", sub, pack);
      packs.push({ file, size: (await stat(file)).size });
    }
  }
  const { file, size } = packs.sort((a, b) => b.size - a.size)[0]!;
  const fd = openSync(file, "r+");
  const buf = Buffer.alloc(64);
  readSync(fd, buf, 0, 64, Math.floor(size / 2));
  writeSync(fd, Buffer.from(buf.map((b) => b ^ 0xff)), 0, 64, Math.floor(size / 2));
  closeSync(fd);
}

describe("a restic repository the admin can trust", () => {
  it("refuses a check schedule that is not valid, with a sentence, and creates nothing", async () => {
    const before = await backupCount();
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ check: { schedule: "every sunday" } }, "check.schedule", /Check schedule:/],
      [{ check: { schedule: "0 4 * * 0", readDataSubset: "150%" } }, "check.readDataSubset", /percentage above 0 and at most 100/],
      [{ check: { schedule: "0 4 * * 0", readDataSubset: "3/2" } }, "check.readDataSubset", /n\/m with 1 ≤ n ≤ m/],
      [{ check: { readDataSubset: "10%" } }, "check.schedule", /Give the check a schedule/],
      [{ format: "PLAIN", check: { schedule: "0 4 * * 0" } }, "check.schedule", /Only a backup into a restic repository/],
      [{ check: { schedule: "* * * * *" } }, "check.schedule", /at most every/],
    ];
    for (const [over, field, sentence] of cases) {
      const error = await admin.error(CREATE, { input: input(over) });
      expect(error, JSON.stringify(over)).toMatchObject({ code: "INVALID_INPUT", field });
      expect(error.message).toMatch(sentence);
    }
    expect(await backupCount()).toBe(before);
  });

  it("runs a weekly check reading 10% on a CronJob of its own, reconciled with the backup", async () => {
    backup = (
      await admin.data<{ createBackup: Backup }>(CREATE, { input: input({ check: { schedule: "0 4 * * 0", readDataSubset: "10%" } }) })
    ).createBackup;
    expect(backup.check).toMatchObject({ schedule: "0 4 * * 0", readDataSubset: "10%" });
    expect(backup.check!.description).toBe("At 04:00, only on Sunday (UTC), reading back 10% of the data");
    expect(new Date(backup.check!.nextRunAt!).getUTCDay()).toBe(0);
    const cron = store().get("batch/v1", "CronJob", "shop", backup.check!.cronJobName) as {
      metadata: { labels: Record<string, string> };
      spec: {
        schedule: string;
        jobTemplate: { spec: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } } };
      };
    };
    expect(cron.spec.schedule).toBe("0 4 * * 0");
    expect(cron.metadata.labels["backup.hks.io/run-kind"]).toBe("verify");
    const env = cron.spec.jobTemplate.spec.template.spec.containers[0]!.env;
    expect(env).toContainEqual({ name: "HKS_MODE", value: "verify" });
    expect(env).toContainEqual({ name: "HKS_READ_DATA_SUBSET", value: "10%" });
    // An invalid change is refused and leaves the check as it was.
    const refused = await admin.error(UPDATE, { input: { id: backup.id, check: { schedule: "0 4 * * 0", readDataSubset: "ten" } } });
    expect(refused).toMatchObject({ code: "INVALID_INPUT", field: "check.readDataSubset" });
    expect((await admin.data<{ backup: Backup }>(GET, { id: backup.id })).backup.check!.readDataSubset).toBe("10%");
  });

  it("shows the repository's stored size against its kept snapshots (the deduplication ratio)", async () => {
    expect(backup.repository).toBeNull();
    const first = await runNow();
    expect(first.status, first.message ?? "").toBe("SUCCEEDED");
    const second = await runNow();
    expect(second.status, second.message ?? "").toBe("SUCCEEDED");
    const figures = (await admin.data<{ backup: Backup }>(GET, { id: backup.id })).backup.repository!;
    expect(figures.snapshotCount).toBe(2);
    expect(figures.logicalBytes).toBe(first.restic!.bytesRead + second.restic!.bytesRead);
    // two snapshots of the same claim stored about once
    expect(figures.storedBytes).toBeLessThan(figures.logicalBytes * 0.75);
    expect(figures.dedupRatio).toBeCloseTo(figures.logicalBytes / figures.storedBytes, 1);
    expect(figures.dedupRatio!).toBeGreaterThan(1.3);
  });

  it("carries out its scheduled check as a VERIFY run in the history", async () => {
    const jobName = await jobFromCronJob(backup.check!.cronJobName, "c1");
    const check = await finished((r) => r.jobName === jobName);
    expect(check, JSON.stringify(check)).toMatchObject({ kind: "VERIFY", status: "SUCCEEDED" });
    expect(check.message).toMatch(/is intact \(restic check, 10% of the data read back\)/);
  });

  it("refuses an overwrite restore while a Job of the backup runs, changing nothing", async () => {
    const [done] = (await runs()).filter((r) => r.kind === "BACKUP" && r.status === "SUCCEEDED");
    const { id } = (await admin.data<{ runBackupNow: { id: string } }>(RUN_NOW, { id: backup.id })).runBackupNow;
    const refused = await admin.error(RESTORE, { input: { runId: done!.id, targetPvcName: "shop-db-data", overwrite: true } });
    expect(refused.code).toBe("CONFLICT");
    expect(refused.message).toMatch(
      /A Job of 'trust' is running \(backup .*\); an overwrite restore would replace data it is using\. Wait/,
    );
    await finished((r) => r.id === id);
    expect((await runs()).filter((r) => r.kind === "RESTORE")).toEqual([]);
  });

  it("names the safety snapshot when an overwrite restore fails, and puts back what was there in one click", async () => {
    const [done] = (await runs()).filter((r) => r.kind === "BACKUP" && r.status === "SUCCEEDED");
    // A claim of the application that holds something of its own since the backup.
    const { id: first } = (
      await admin.data<{ restoreBackupRun: { id: string } }>(RESTORE, {
        input: { runId: done!.id, targetPvcName: "trust-target", createTarget: true, targetSizeGiB: 2 },
      })
    ).restoreBackupRun;
    expect((await finished((r) => r.id === first)).status).toBe("SUCCEEDED");
    const pvc = await kubeFor(stack.lab, "acme").core.readNamespacedPersistentVolumeClaim({ name: "trust-target", namespace: "shop" });
    const claim = folderOf(pvc.spec!.volumeName!);
    for (const entry of await readdir(claim)) await rm(path.join(claim, entry), { recursive: true, force: true });
    const mine = { "notes.txt": "written after the backup\n", "data/blob.bin": randomBytes(64 * 1024) };
    await mkdir(path.join(claim, "data"), { recursive: true });
    for (const [rel, content] of Object.entries(mine)) await writeFile(path.join(claim, rel), content);
    // The disk under the repository fails: the snapshot no longer reads back.
    await damageData(repoDir());

    const { id } = (
      await admin.data<{ restoreBackupRun: { id: string } }>(RESTORE, {
        input: { runId: done!.id, targetPvcName: "trust-target", overwrite: true },
      })
    ).restoreBackupRun;
    const failed = await finished((r) => r.id === id);
    expect(failed, JSON.stringify(failed)).toMatchObject({ kind: "RESTORE", status: "FAILED", failureReason: "CORRUPT" });
    expect(JSON.stringify(failed)).toMatch(/"safetySnapshot":"[0-9a-f]{8,64}"/);
    expect(failed.message).toContain(`kept in safety snapshot ${failed.safetySnapshot}`);

    // Put back: members may not; an admin may, once; a run with no safety snapshot cannot be put back.
    expect((await member.error(PUT_BACK, { id })).code).toBe("FORBIDDEN");
    expect(await admin.error(PUT_BACK, { id: first })).toMatchObject({ code: "INVALID_INPUT", field: "runId" });
    const putBack = (await admin.data<{ putBackSafetySnapshot: { id: string; kind: string; restoreTarget: string } }>(PUT_BACK, { id }))
      .putBackSafetySnapshot;
    expect(putBack).toMatchObject({ kind: "RESTORE", restoreTarget: "shop/trust-target" });
    const back = await finished((r) => r.id === putBack.id);
    expect(back, JSON.stringify(back)).toMatchObject({ status: "SUCCEEDED" });
    for (const [rel, content] of Object.entries(mine)) expect(await readFile(path.join(claim, rel))).toEqual(Buffer.from(content));
    expect((await readdir(claim)).sort()).toEqual(["data", "notes.txt"]);
  });

  it("reports the damaged repository as CORRUPT from its check, and the assistant tells the admins", async () => {
    // The admin makes the check read everything back; the reconciled CronJob follows.
    const updated = (
      await admin.data<{ updateBackup: Backup }>(UPDATE, {
        input: { id: backup.id, check: { schedule: "0 4 * * 0", readDataSubset: "100%" } },
      })
    ).updateBackup;
    expect(updated.check!.description).toMatch(/reading back 100% of the data$/);
    const jobName = await jobFromCronJob(backup.check!.cronJobName, "c2");
    const check = await finished((r) => r.jobName === jobName);
    expect(check, JSON.stringify(check)).toMatchObject({ kind: "VERIFY", status: "FAILED", failureReason: "CORRUPT" });
    expect(check.message).toMatch(/The repository is damaged.*start a new repository folder/);
    await stack.services.orchestration.cycle();
    await stack.services.orchestration.cycle();
    const notices = await stack.database.db
      .select()
      .from(agentEvents)
      .where(and(eq(agentEvents.workspaceId, acme), eq(agentEvents.kind, "NOTIFY_ADMIN")));
    const texts = notices.map((n) => String((n.payload as { text?: string }).text));
    expect(texts).toContainEqual(
      expect.stringMatching(/^The scheduled repository check \(.*-c2\) found the repository of 'trust' .* damaged: .*restic check/),
    );
    expect(texts).toContainEqual(expect.stringMatching(/^A restore \(.*\) found the repository of 'trust' .* damaged/));
  });
});
