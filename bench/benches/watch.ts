/**
 * watch: what the leader's background work asks of the vClusters while nothing happens, polling (as before watches)
 * against watching, and how soon a finished Job becomes a finished run. N lab vClusters, each with 10 Backups (their
 * CronJobs and destination PV in the lab), followed by the real BackupRunTracker (every HKS_RUN_POLL_MS's default
 * 2 s), BackupReconciler (every 60 s) and StorageWorkerAgent (every 15 s, no series: only its PV mapping costs the
 * vClusters anything), in this one process (bench/lib/background-work.ts). Each lab counts the API requests it answered.
 *
 * Targets (issue 13, `workspaces` row): idle requests ≤ 5% of polling's; Job finished → run SUCCEEDED p99 ≤ 2 s
 * (the brief: within a second).
 */
import "reflect-metadata";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase, type Database } from "../../apps/server/src/db/client.js";
import { plans } from "../../apps/server/src/db/schema/index.js";
import { createWatches } from "../../apps/server/src/modules/cluster-watches.js";
import { VClusters } from "../../apps/server/src/platform/kubernetes/vclusters.js";
import { backgroundServices, idleRequests, startBackgroundWork } from "../lib/background-work.js";
import { startBackupFleet, type BackupFleet } from "../lib/backup-fleet.js";
import { report } from "../lib/result.js";
import { ms, percentile } from "../lib/stats.js";
import { createDatabase } from "../lib/server.js";

const VCLUSTERS = Number(process.env["WATCH_VCLUSTERS"] ?? 20);
const BACKUPS_EACH = 10;
const IDLE_SECONDS = Number(process.env["WATCH_IDLE_SECONDS"] ?? 60);
const JOBS = Number(process.env["WATCH_JOBS"] ?? 40);

const log = (message: string) => process.stderr.write(`[watch] ${message}\n`);
const cleanups: Array<() => Promise<unknown>> = [];

async function main() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "hks-bench-watch-"));
  cleanups.push(() => rm(tmp, { recursive: true, force: true }));
  const database = await createDatabase();
  cleanups.push(() => database.drop());
  const handle = await openDatabase({ url: database.url, dataDir: tmp });
  cleanups.push(() => handle.close());
  const db = handle.db;
  await db.insert(plans).values({
    id: "bench",
    name: "Bench",
    dedicated: true,
    storageCeilingGiB: 100_000,
    priceCentsPerGiBMonth: 8,
    currency: "EUR",
    minBackupIntervalMinutes: 15,
  });

  log(`starting ${VCLUSTERS} lab vClusters with ${BACKUPS_EACH} Backups each`);
  const fleet = await startBackupFleet({ db, kubeconfigDir: tmp, count: VCLUSTERS, backupsEach: BACKUPS_EACH, planId: "bench" });
  cleanups.push(() => fleet.close());
  const vclusters = new VClusters(tmp);
  // The CronJobs exist (a first pass made them): the idle passes find nothing to write.
  await backgroundServices(db, vclusters, undefined).reconciler.reconcileAll();

  const idle = async (mode: "polling" | "watches") => {
    const watches = mode === "watches" ? createWatches(vclusters) : undefined;
    const stop = startBackgroundWork(backgroundServices(db, vclusters, watches));
    // Settled: the watches listed once (what follows is the steady state).
    await new Promise((r) => setTimeout(r, 3000));
    log(`${mode}: idle for ${IDLE_SECONDS} s`);
    const counted = await idleRequests(fleet, IDLE_SECONDS);
    log(
      `${mode}: ${counted.reads} reads (${counted.watchesOpened} watches opened), ${counted.writes} writes: ${counted.perMinute.toFixed(0)} requests/min`,
    );
    const latencies = await finishJobs(db, fleet, mode);
    await stop();
    watches?.stopAll();
    return { ...counted, latencies };
  };

  const polling = await idle("polling");
  const watching = await idle("watches");
  const share = watching.perMinute / polling.perMinute;
  const p = (values: number[], q: number) => percentile(values, q);

  console.log(`\n${VCLUSTERS} vClusters × ${BACKUPS_EACH} Backups, idle ${IDLE_SECONDS} s`);
  console.log("mode     | requests/min (all vClusters) | per vCluster | Job finished → run SUCCEEDED p50 / p99 / max");
  for (const [mode, r] of [
    ["polling", polling],
    ["watches", watching],
  ] as const)
    console.log(
      `${mode.padEnd(8)} | ${r.perMinute.toFixed(1).padStart(28)} | ${(r.perMinute / VCLUSTERS).toFixed(2).padStart(12)} | ${ms(p(r.latencies, 50), 0)} / ${ms(p(r.latencies, 99), 0)} / ${ms(Math.max(...r.latencies), 0)}`,
    );
  const quiet = share <= 0.05;
  const fast = p(watching.latencies, 99) <= 2000;
  report({
    bench: "watch",
    figures: [
      {
        what: `requests to ${VCLUSTERS} idle vClusters per minute (${BACKUPS_EACH} Backups each)`,
        value: `${watching.perMinute.toFixed(1)} with watches vs ${polling.perMinute.toFixed(1)} polling (${(share * 100).toFixed(1)}%)`,
      },
      {
        what: `Job finished → run SUCCEEDED (${JOBS} Jobs), p50 / p99`,
        value: `${ms(p(watching.latencies, 50), 0)} / ${ms(p(watching.latencies, 99), 0)} with watches vs ${ms(p(polling.latencies, 50), 0)} / ${ms(p(polling.latencies, 99), 0)} polling every 2 s`,
      },
    ],
    target: "idle requests ≤ 5% of polling's; Job finished → run SUCCEEDED p99 ≤ 2 s",
    met: quiet && fast,
    note:
      [!quiet && `idle requests are ${(share * 100).toFixed(1)}% of polling's`, !fast && `p99 ${ms(p(watching.latencies, 99), 0)}`]
        .filter(Boolean)
        .join("; ") || undefined,
  });
}

/**
 * Creates a backup Job in a vCluster, waits until the tracker recorded its run, then marks it Complete as the Job
 * controller does and times how long until the run reads SUCCEEDED in the database (polled every 10 ms).
 */
async function finishJobs(db: Database, fleet: BackupFleet, mode: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let k = 0; k < JOBS; k++) {
    const w = fleet.workspaces[k % fleet.workspaces.length]!;
    const name = `bench-${mode}-${k}`;
    fleet.createJob(w, w.backupIds[k % w.backupIds.length]!, name);
    const runOf = () => db.query.backupRuns.findFirst({ where: (r, { eq }) => eq(r.jobName, name) });
    await until(async () => !!(await runOf()), 30_000);
    const finished = performance.now();
    fleet.finishJob(w, name);
    await until(async () => (await runOf())?.status === "SUCCEEDED", 30_000);
    latencies.push(performance.now() - finished);
  }
  log(`${mode}: ${JOBS} Jobs finished; run SUCCEEDED after p50 ${ms(percentile(latencies, 50), 0)}, max ${ms(Math.max(...latencies), 0)}`);
  return latencies;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
try {
  await main();
} finally {
  await cleanUp();
}
