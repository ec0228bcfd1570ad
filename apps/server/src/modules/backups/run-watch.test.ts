import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupRuns } from "../../db/schema/index.js";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";

// The run tracker learns of Jobs by watch: a finished Job is a finished run within a second, an idle platform sends
// the vClusters nothing, and a dropped watch or a forgotten resourceVersion (410) loses and doubles nothing.

const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id cronJobName } }`;
const RUN_NOW = `mutation($id: ID!) { runBackupNow(id: $id) { id jobName } }`;

let stack: TestStack;
let admin: GraphQLClient;
let shop: string;
let backupId: string;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  const acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
  const volume = await provisionVolume(admin, acme, "watch-backups", 200);
  backupId = (
    await admin.data<{ createBackup: { id: string } }>(CREATE, {
      input: {
        applicationId: shop,
        name: "watched",
        schedule: "0 2 * * *",
        timeZone: "UTC",
        source: { pvcName: "shop-db-data" },
        destination: { volumeId: volume.id, path: "shop/watched" },
        function: { kind: "TAR", compression: "ZSTD" },
        format: "PLAIN",
        retention: { keepLast: 7 },
      },
    })
  ).createBackup.id;
}, 120_000);
afterAll(() => stack?.stop());

const kube = () => stack.lab.clusters.get("acme")!;
const jobs = () => stack.services.watches.get("acme")!.informers.jobs;

const runsOf = (jobName: string) => stack.database.db.select().from(backupRuns).where(eq(backupRuns.jobName, jobName));

/** When the lab's Job controller marked each Job Complete (or Failed), from the lab's own store events. */
const finishedAt = new Map<string, number>();
beforeAll(() => {
  kube().store.subscribe((event) => {
    const conditions = (event.object as { status?: { conditions?: Array<{ type: string; status: string }> } }).status?.conditions;
    const name = event.object.metadata.name ?? "";
    if (
      event.def.kind === "Job" &&
      !finishedAt.has(name) &&
      conditions?.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True")
    )
      finishedAt.set(name, performance.now());
  });
});

async function runNow(): Promise<{ jobName: string; finished: () => number }> {
  const { jobName } = (await admin.data<{ runBackupNow: { jobName: string } }>(RUN_NOW, { id: backupId })).runBackupNow;
  return { jobName, finished: () => finishedAt.get(jobName)! };
}

/** Polls the database every 10 ms until the Job's run is finished; returns when that was seen. */
async function runFinished(jobName: string, timeoutMs = 60_000): Promise<{ seenAt: number; status: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [run] = await runsOf(jobName);
    if (run && ["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED"].includes(run.status))
      return { seenAt: performance.now(), status: run.status };
    if (Date.now() > deadline) throw new Error(`the run of ${jobName} did not finish (${run?.status ?? "no run"})`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("runs followed by watch", () => {
  it("a finished Job is a finished run within a second", async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { jobName, finished } = await runNow();
      const { seenAt, status } = await runFinished(jobName);
      expect(status).toBe("SUCCEEDED");
      latencies.push(seenAt - finished());
    }
    expect(Math.max(...latencies), `latencies ${latencies.map((l) => l.toFixed(0)).join(", ")} ms`).toBeLessThan(1000);
  }, 120_000);

  it("an idle platform sends the vCluster nothing while the tracker's periodic pass runs every 250 ms", async () => {
    await eventually(async () => (jobs().hasSynced ? true : undefined), "the watches to be listed");
    const api = kube().requests;
    api.reset();
    await new Promise((r) => setTimeout(r, 3000));
    // Polling listed Jobs and Pods on each pass: 2 lists × 12 passes here.
    expect(api.counts()).toMatchObject({ reads: 0, writes: 0 });
  });

  it("relists after a dropped watch and a forgotten resourceVersion (410): nothing is lost or doubled", async () => {
    const before = { ...jobs().stats };
    // The watches' first reconnects fail, the store forgets its history, and the connections drop.
    kube().faults.add({ path: "/jobs$|/pods$|/cronjobs$|/persistentvolumes$", query: "watch=", action: "fail", status: 503, times: 4 });
    // (A write first, so every watch's last version is older than what the store still remembers.)
    kube().store.create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "unrelated", namespace: "shop" } } as never);
    kube().store.compact();
    expect(kube().endWatches()).toBeGreaterThanOrEqual(4);
    const { jobName } = await runNow();
    const { status } = await runFinished(jobName);
    expect(status).toBe("SUCCEEDED");
    expect(jobs().stats.expired).toBeGreaterThan(before.expired);
    expect(jobs().stats.lists).toBeGreaterThan(before.lists);
    expect(await runsOf(jobName)).toHaveLength(1);
    // The Jobs of every run so far: one run each, all finished.
    const all = await stack.database.db.select().from(backupRuns).where(eq(backupRuns.backupId, backupId));
    expect(all).toHaveLength(4);
    expect(new Set(all.map((r) => r.jobName)).size).toBe(4);
    expect(all.every((r) => r.status === "SUCCEEDED")).toBe(true);
    // Still followed by watch afterwards: another run finishes as fast as before.
    const next = await runNow();
    const seen = await runFinished(next.jobName);
    expect(seen.seenAt - next.finished()).toBeLessThan(1000);
  }, 120_000);
});
