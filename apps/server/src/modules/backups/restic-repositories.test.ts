import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { BatchV1Api, KubeConfig, type V1CronJob } from "@kubernetes/client-node";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repositoryKeys } from "../../db/schema/repository-keys.js";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";
import { kubeFor } from "../../test/kube.js";

const exec = promisify(execFile);

const RUN = `id status failureReason message jobName snapshot restic { bytesRead bytesAdded filesNew filesChanged filesUnmodified }`;
const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id name format cronJobName } }`;
const RUN_NOW = `mutation($id: ID!) { runBackupNow(id: $id) { id } }`;
const RUNS = `query($id: ID!) { backup(id: $id) { runs(first: 50) { nodes { ${RUN} } } } }`;
const EXPORT = `mutation($w: ID!, $c: String!) { exportRepositoryKey(workspaceId: $w, confirm: $c) }`;
const EXPORTS = `query($id: ID!) { workspace(id: $id) { repositoryKeyExports { userEmail createdAt } } }`;

type Figures = { bytesRead: number; bytesAdded: number; filesNew: number; filesChanged: number; filesUnmodified: number };
type Run = {
  id: string;
  status: string;
  failureReason: string | null;
  message: string | null;
  jobName: string;
  snapshot: string | null;
  restic: Figures | null;
};

let stack: TestStack;
let admin: GraphQLClient;
let member: GraphQLClient;
let acme: string;
let shop: string;
let volume: { id: string; persistentVolumeName: string };
let backup: { id: string; format: string; cronJobName: string };
let first: Run;
let key: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  member = await stack.login("dev@acme.test");
  acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
  volume = await provisionVolume(admin, acme, "repo-vol", 500);
}, 120_000);
afterAll(() => stack?.stop());

const runs = async () => (await admin.data<{ backup: { runs: { nodes: Run[] } } }>(RUNS, { id: backup.id })).backup.runs.nodes;
const finished = (match: (r: Run) => boolean) =>
  eventually(
    async () => (await runs()).find((r) => match(r) && ["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED"].includes(r.status)),
    "the run to finish",
    60_000,
  );
const runNow = async () => {
  const { id } = (await admin.data<{ runBackupNow: { id: string } }>(RUN_NOW, { id: backup.id })).runBackupNow;
  return finished((r) => r.id === id);
};
const repoDir = () => path.join(stack.lab.clusters.get("acme")!.volumeFolder(volume.persistentVolumeName)!, "shop/repo");
const core = () => kubeFor(stack.lab, "acme").core;
const secretPassword = async () => {
  const s = await core().readNamespacedSecret({ name: "hks-repository-key", namespace: "shop" });
  return Buffer.from(s.data!["password"]!, "base64").toString("utf8");
};

/** Plain restic, as an operator without HKS would run it. */
async function restic(args: string[], password: { file?: string; value?: string }) {
  const env = {
    PATH: process.env["PATH"],
    HOME: os.tmpdir(),
    RESTIC_CACHE_DIR: path.join(os.tmpdir(), "hks-restic-test-cache"),
    ...(password.file ? { RESTIC_PASSWORD_FILE: password.file } : { RESTIC_PASSWORD: password.value }),
  };
  try {
    const { stdout } = await exec("restic", ["-r", repoDir(), ...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return { ok: true, stdout };
  } catch (error) {
    return { ok: false, stdout: String((error as { stderr?: string }).stderr ?? error) };
  }
}

/** Every file of the repository with its size and modification time: "untouched" means this is unchanged. */
async function fingerprint(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, entry.name);
    if (entry.isDirectory()) out.push(...(await fingerprint(path.join(dir, entry.name), rel)));
    else {
      const s = await stat(path.join(dir, entry.name));
      out.push(`${rel} ${s.size} ${s.mtimeMs}`);
    }
  }
  return out.sort();
}

describe("a backup into a restic repository", () => {
  it("is the default for a new backup, and runs through the lab into an encrypted repository", async () => {
    backup = (
      await admin.data<{ createBackup: typeof backup }>(CREATE, {
        input: {
          applicationId: shop,
          name: "repo",
          schedule: "0 2 * * *",
          source: { pvcName: "shop-db-data" },
          destination: { volumeId: volume.id, path: "shop/repo" },
          function: { kind: "TAR" },
          retention: { keepLast: 7 },
        },
      })
    ).createBackup;
    expect(backup.format).toBe("RESTIC");
    first = await runNow();
    expect(first, JSON.stringify(first)).toMatchObject({ status: "SUCCEEDED", failureReason: null });
    expect(first.snapshot).toMatch(/^[0-9a-f]{64}$/);
    expect(first.restic).toMatchObject({ filesNew: 5, filesChanged: 0, filesUnmodified: 0 });
    expect(first.restic!.bytesRead).toBeGreaterThan(1024 * 1024);
    expect(first.restic!.bytesAdded).toBeGreaterThan(0);
    expect(await readFile(path.join(repoDir(), "config"))).toBeTruthy();
  });

  it("cannot be read with another password", async () => {
    const wrong = await restic(["snapshots", "--json"], { value: "not-the-key" });
    expect(wrong.ok).toBe(false);
    expect(wrong.stdout).toMatch(/wrong password|no key found/i);
  });

  it("exports the key to an admin who types the workspace's slug, and records who did", async () => {
    expect((await member.error(EXPORT, { w: acme, c: "acme" })).code).toBe("FORBIDDEN");
    const refused = await admin.error(EXPORT, { w: acme, c: "Acme Corp" });
    expect(refused).toMatchObject({ code: "INVALID_INPUT", field: "confirm" });
    expect(
      (await admin.data<{ workspace: { repositoryKeyExports: unknown[] } }>(EXPORTS, { id: acme })).workspace.repositoryKeyExports,
    ).toEqual([]);
    key = (await admin.data<{ exportRepositoryKey: string }>(EXPORT, { w: acme, c: "acme" })).exportRepositoryKey;
    expect(key.length).toBeGreaterThanOrEqual(32);
    const exports = (
      await admin.data<{ workspace: { repositoryKeyExports: Array<{ userEmail: string; createdAt: string }> } }>(EXPORTS, { id: acme })
    ).workspace.repositoryKeyExports;
    expect(exports).toHaveLength(1);
    expect(exports[0]!.userEmail).toBe("admin@acme.test");
    expect(Date.now() - Date.parse(exports[0]!.createdAt)).toBeLessThan(60_000);
    // Members do not see who exported it.
    expect(
      (await member.data<{ workspace: { repositoryKeyExports: unknown[] } }>(EXPORTS, { id: acme })).workspace.repositoryKeyExports,
    ).toEqual([]);
    // The database holds it only encrypted.
    const [row] = await stack.database.db.select().from(repositoryKeys).where(eq(repositoryKeys.workspaceId, acme));
    expect(JSON.stringify(row)).not.toContain(key);
  });

  it("restores without HKS: plain restic and the exported key", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "hks-restore-"));
    const keyFile = path.join(dir, "key");
    await writeFile(keyFile, key, { mode: 0o600 });
    const listed = await restic(["snapshots", "--json"], { file: keyFile });
    expect(listed.ok, listed.stdout).toBe(true);
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((s) => s.id)).toContain(first.snapshot);
    const restored = await restic(["restore", first.snapshot!, "--target", path.join(dir, "out")], { file: keyFile });
    expect(restored.ok, restored.stdout).toBe(true);
    const pvc = await core().readNamespacedPersistentVolumeClaim({ name: "shop-db-data", namespace: "shop" });
    const original = stack.lab.clusters.get("acme")!.volumeFolder(pvc.spec!.volumeName!)!;
    const file = "base/16384/2619";
    const copy = (await exec("find", [path.join(dir, "out"), "-path", `*/${file}`])).stdout.trim();
    expect(await readFile(copy)).toEqual(await readFile(path.join(original, file)));
  });

  it("adds little on a second run of unchanged data, as restic's figures on the run show", async () => {
    const second = await runNow();
    expect(second.status).toBe("SUCCEEDED");
    // restic may count the files as changed (each pod mounts the claim anew, with a new ctime) yet stores no new data.
    expect(second.restic!.filesNew).toBe(0);
    expect(second.restic!.filesChanged + second.restic!.filesUnmodified).toBe(5);
    expect(second.restic!.bytesAdded).toBeLessThan(first.restic!.bytesAdded / 10);
  });

  it("gets its key Secret back from the next reconcile after it was deleted, and runs again", async () => {
    await core().deleteNamespacedSecret({ name: "hks-repository-key", namespace: "shop" });
    await stack.services.reconciler.reconcileAll();
    expect(await secretPassword()).toBe(key);
    expect((await runNow()).status).toBe("SUCCEEDED");
  });

  it("fails a scheduled run whose Secret holds a wrong key as KEY_INVALID, leaving the repository untouched", async () => {
    const secret = await core().readNamespacedSecret({ name: "hks-repository-key", namespace: "shop" });
    await core().replaceNamespacedSecret({
      name: "hks-repository-key",
      namespace: "shop",
      body: { ...secret, data: { password: Buffer.from("a-wrong-key").toString("base64") } },
    });
    const before = await fingerprint(repoDir());
    // What the CronJob does at its scheduled time: a Job from its template.
    const config = new KubeConfig();
    config.loadFromFile(path.join(stack.lab.dir!, "acme.kubeconfig"));
    const batch = config.makeApiClient(BatchV1Api);
    const cron: V1CronJob = await batch.readNamespacedCronJob({ name: backup.cronJobName, namespace: "shop" });
    const jobName = `${backup.cronJobName}-x1`;
    await batch.createNamespacedJob({
      namespace: "shop",
      body: { metadata: { name: jobName, labels: cron.spec!.jobTemplate.metadata!.labels }, spec: cron.spec!.jobTemplate.spec },
    });
    const failed = await finished((r) => r.jobName === jobName);
    expect(failed).toMatchObject({ status: "FAILED", failureReason: "KEY_INVALID" });
    expect(failed.message).toMatch(/repository key is missing or wrong/);
    expect(failed.message).toMatch(/re-applies/);
    expect(await fingerprint(repoDir())).toEqual(before);
    // The next pass puts the right key back.
    await stack.services.reconciler.reconcileAll();
    expect(await secretPassword()).toBe(key);
  });

  it("adopts the key from the vCluster when the database lost it, rather than making a new one", async () => {
    await stack.database.db.delete(repositoryKeys).where(eq(repositoryKeys.workspaceId, acme));
    const workspace = (await stack.services.workspaces.cachedWorkspace(acme))!;
    expect(await stack.services.repositoryKeys.passwordFor(workspace)).toBe(key);
    const [row] = await stack.database.db.select().from(repositoryKeys).where(eq(repositoryKeys.workspaceId, acme));
    expect(row?.origin).toBe("ADOPTED");
    expect((await runNow()).status).toBe("SUCCEEDED");
  });
});
