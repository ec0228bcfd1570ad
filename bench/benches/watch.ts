/**
 * watch: what the leader's background work asks of the vClusters while nothing happens, polling (as before watches)
 * against watching, and how soon a finished Job becomes a finished run. N lab vClusters, each with 10 Backups (their
 * CronJobs and destination PV in the lab), followed by the real BackupRunTracker (every HKS_RUN_POLL_MS's default
 * 2 s), BackupReconciler (every 60 s) and StorageWorkerAgent (every 15 s, no series: only its PV mapping costs the
 * vClusters anything). Each lab counts the API requests it answered.
 *
 * Targets (issue 13, `workspaces` row): idle requests ≤ 5% of polling's; Job finished → run SUCCEEDED p99 ≤ 2 s
 * (the brief: within a second).
 */
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startKubeApiServer, type KubeLab } from "@hks/lab";
import { openDatabase, type Database } from "../../apps/server/src/db/client.js";
import { applications, backups, plans, storageVolumes, workspaces } from "../../apps/server/src/db/schema/index.js";
import { createInProcessPubSub } from "../../apps/server/src/graphql/pubsub.js";
import { createLogger } from "../../apps/server/src/logger.js";
import { benchReconciler } from "../lib/reconciler.js";
import { BackupRunTracker } from "../../apps/server/src/modules/backups/run-tracker.js";
import { BACKUP_ID_LABEL, backupLabels, cronJobNameFor, DEFAULT_TRANSLATION } from "../../apps/server/src/modules/backups/translation.js";
import { createWatches, type Watches } from "../../apps/server/src/modules/cluster-watches.js";
import { StorageWorkerAgent } from "../../apps/server/src/modules/monitoring/storage-worker-agent.js";
import { WorkspaceRepository } from "../../apps/server/src/modules/workspaces/workspace.repository.js";
import { persistentVolumeManifest } from "../../apps/server/src/platform/kubernetes/kinds/persistent-volume.js";
import { VClusters } from "../../apps/server/src/platform/kubernetes/vclusters.js";
import { report } from "../lib/result.js";
import { ms, percentile } from "../lib/stats.js";
import { createDatabase } from "../lib/server.js";

const VCLUSTERS = Number(process.env["WATCH_VCLUSTERS"] ?? 20);
const BACKUPS_EACH = 10;
const IDLE_SECONDS = Number(process.env["WATCH_IDLE_SECONDS"] ?? 60);
const JOBS = Number(process.env["WATCH_JOBS"] ?? 40);
const INTERVALS = { runPollMs: 2000, reconcileMs: 60_000, monitorMs: 15_000 };

const log = (message: string) => process.stderr.write(`[watch] ${message}\n`);
const cleanups: Array<() => Promise<unknown>> = [];
const nameOf = (i: number) => `w${String(i).padStart(3, "0")}`;

interface Seeded {
  workspaceId: string;
  vcluster: string;
  namespace: string;
  backupIds: string[];
}

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
  const labs = new Map<string, KubeLab>();
  const seeded: Seeded[] = [];
  for (let i = 0; i < VCLUSTERS; i++) {
    const vcluster = nameOf(i);
    const lab = await startKubeApiServer({
      name: vcluster,
      namespaces: ["app"],
      nodes: [{ name: "pve1", region: "hks-lab", zone: "pve1" }],
      // Nothing runs: the bench finishes Jobs itself, as the Job controller would.
      controllers: false,
      tmpfs: false,
    });
    cleanups.push(() => lab.close());
    labs.set(vcluster, lab);
    await writeFile(path.join(tmp, `${vcluster}.kubeconfig`), lab.kubeconfig());
    seeded.push(await seedWorkspace(db, lab, vcluster));
  }
  const vclusters = new VClusters(tmp);
  // The CronJobs exist (a first pass made them): the idle passes find nothing to write.
  await services(db, vclusters, undefined).reconciler.reconcileAll();

  const idle = async (mode: "polling" | "watches") => {
    const watches = mode === "watches" ? createWatches(vclusters) : undefined;
    const s = services(db, vclusters, watches);
    const stop = startBackgroundWork(s);
    // Settled: the watches listed once (what follows is the steady state).
    await new Promise((r) => setTimeout(r, 3000));
    for (const lab of labs.values()) lab.requests.reset();
    log(`${mode}: idle for ${IDLE_SECONDS} s`);
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    let reads = 0;
    let writes = 0;
    let watchesOpened = 0;
    for (const lab of labs.values()) {
      const c = lab.requests.counts();
      reads += c.reads;
      writes += c.writes;
      watchesOpened += c.watches;
    }
    const perMinute = ((reads + writes) * 60) / IDLE_SECONDS;
    log(`${mode}: ${reads} reads (${watchesOpened} watches opened), ${writes} writes: ${perMinute.toFixed(0)} requests/min`);
    const latencies = await finishJobs(db, labs, seeded, mode);
    await stop();
    watches?.stopAll();
    return { perMinute, reads, writes, watchesOpened, latencies };
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

function services(db: Database, vclusters: VClusters, watches: Watches | undefined) {
  const logger = createLogger({ silent: true });
  const workspaceRepository = new WorkspaceRepository(db);
  return {
    tracker: new BackupRunTracker({
      db,
      vclusters,
      workspaces: workspaceRepository,
      pubsub: createInProcessPubSub(),
      logger,
      missedAfterSeconds: DEFAULT_TRANSLATION.startingDeadlineSeconds + 60,
      watches,
    }),
    reconciler: benchReconciler({ db, vclusters, workspaces: workspaceRepository, logger, watches }),
    monitor: new StorageWorkerAgent({
      db,
      vclusters,
      metrics: { describe: () => "no series", instant: () => Promise.resolve([]) },
      logger,
      watches,
    }),
  };
}

/** As workers.ts starts them, at the production intervals. */
function startBackgroundWork(s: ReturnType<typeof services>): () => Promise<void> {
  s.tracker.start(INTERVALS.runPollMs);
  s.monitor.start(INTERVALS.monitorMs);
  const reconcile = setInterval(() => void s.reconciler.reconcileAll().catch(() => undefined), INTERVALS.reconcileMs);
  return async () => {
    clearInterval(reconcile);
    await Promise.all([s.tracker.stop(), s.monitor.stop()]);
  };
}

async function seedWorkspace(db: Database, lab: KubeLab, vcluster: string): Promise<Seeded> {
  const [workspace] = await db
    .insert(workspaces)
    .values({ slug: vcluster, name: vcluster, planId: "bench", vclusterName: vcluster, namespaces: ["app"] })
    .returning();
  const [app] = await db.insert(applications).values({ workspaceId: workspace!.id, name: "app", namespace: "app" }).returning();
  const [volume] = await db
    .insert(storageVolumes)
    .values({
      workspaceId: workspace!.id,
      name: "dest",
      sizeGiB: 50,
      status: "AVAILABLE" as const,
      node: "pve1",
      storage: "local-lvm",
      diskName: `vm-9999-hks-${vcluster}-dest`,
      proxmoxVolumeId: `local-lvm:vm-9999-hks-${vcluster}-dest`,
      storageClassName: "hks-dest",
      persistentVolumeName: `hks-${vcluster}-dest`,
    })
    .returning();
  lab.store.create(
    persistentVolumeManifest({
      name: volume!.persistentVolumeName,
      volumeId: volume!.id,
      workspace: vcluster,
      storageClassName: volume!.storageClassName,
      sizeGiB: 50,
      csiDriver: "csi.proxmox.sinextra.dev",
      region: "hks-lab",
      zone: "pve1",
      proxmoxStorage: "local-lvm",
      diskName: volume!.diskName,
    }) as never,
  );
  const rows = Array.from({ length: BACKUPS_EACH }, (_, j) => {
    const id = randomUUID();
    const name = `b-${j}`;
    return {
      id,
      workspaceId: workspace!.id,
      applicationId: app!.id,
      name,
      schedule: `${(j * 7) % 60} 3 * * *`,
      timeZone: "UTC",
      sourcePvcName: "data",
      destinationVolumeId: volume!.id,
      destinationPath: `backups/${name}`,
      functionKind: "TAR" as const,
      functionParams: { compression: "ZSTD" as const },
      retention: { keepLast: 7 },
      cronJobName: cronJobNameFor({ name, id }),
    };
  });
  await db.insert(backups).values(rows);
  return { workspaceId: workspace!.id, vcluster, namespace: "app", backupIds: rows.map((r) => r.id) };
}

/**
 * Creates a backup Job in a vCluster, waits until the tracker recorded its run, then marks it Complete as the Job
 * controller does and times how long until the run reads SUCCEEDED in the database (polled every 10 ms).
 */
async function finishJobs(db: Database, labs: Map<string, KubeLab>, seeded: Seeded[], mode: string): Promise<number[]> {
  const latencies: number[] = [];
  for (let k = 0; k < JOBS; k++) {
    const w = seeded[k % seeded.length]!;
    const lab = labs.get(w.vcluster)!;
    const backupId = w.backupIds[k % w.backupIds.length]!;
    const name = `bench-${mode}-${k}`;
    lab.store.create({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: {
        name,
        namespace: w.namespace,
        labels: { ...backupLabels({ id: backupId, applicationId: "bench" }), [BACKUP_ID_LABEL]: backupId },
        annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
      },
      spec: {
        template: { spec: { restartPolicy: "Never", containers: [{ name: "backup", image: "ghcr.io/hks/backup-functions:bench" }] } },
      },
    } as never);
    const runOf = () => db.query.backupRuns.findFirst({ where: (r, { eq }) => eq(r.jobName, name) });
    await until(async () => !!(await runOf()), 30_000);
    const now = new Date().toISOString();
    const finished = performance.now();
    lab.store.modify(
      "batch/v1",
      "Job",
      w.namespace,
      name,
      (job) => {
        (job as { status?: unknown }).status = {
          startTime: now,
          completionTime: now,
          succeeded: 1,
          conditions: [{ type: "Complete", status: "True", lastTransitionTime: now }],
        };
      },
      { scope: "status" },
    );
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
