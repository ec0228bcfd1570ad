/**
 * reconcile: 2,000 Backups to CronJobs with the real BackupReconciler against the lab's Kubernetes API over HTTP: a
 * first pass (every CronJob created), then a pass over the unchanged Backups. The lab counts every API request by
 * method, so the writes of each pass are what the API really received.
 *
 * Target: the unchanged pass makes 0 writes to the Kubernetes API.
 */
import "reflect-metadata";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startKubeApiServer, type KubeLab } from "@hks/lab";
import { openDatabase } from "../../apps/server/src/db/client.js";
import { applications, backups, plans, storageVolumes, workspaces } from "../../apps/server/src/db/schema/index.js";
import { createLogger } from "../../apps/server/src/logger.js";
import { benchReconciler } from "../lib/reconciler.js";
import { cronJobNameFor } from "../../apps/server/src/modules/backups/translation.js";
import { WorkspaceRepository } from "../../apps/server/src/modules/workspaces/workspace.repository.js";
import { persistentVolumeManifest } from "../../apps/server/src/platform/kubernetes/kinds/persistent-volume.js";
import { VClusters } from "../../apps/server/src/platform/kubernetes/vclusters.js";
import { report } from "../lib/result.js";
import { ms } from "../lib/stats.js";
import { createDatabase } from "../lib/server.js";

const BACKUPS = 2_000;
const APPLICATIONS = 20;
const VCLUSTER = "bench";

const log = (message: string) => process.stderr.write(`[reconcile] ${message}\n`);
const cleanups: Array<() => Promise<unknown>> = [];

async function main() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "hks-bench-reconcile-"));
  cleanups.push(() => rm(tmp, { recursive: true, force: true }));
  const database = await createDatabase();
  cleanups.push(() => database.drop());
  const handle = await openDatabase({ url: database.url, dataDir: tmp });
  cleanups.push(() => handle.close());
  const db = handle.db;

  const namespaces = Array.from({ length: APPLICATIONS }, (_, i) => `app-${i}`);
  const lab: KubeLab = await startKubeApiServer({
    name: VCLUSTER,
    namespaces,
    nodes: [{ name: "pve1", region: "hks-lab", zone: "pve1" }],
    // No CronJob or pod controllers: the bench measures what the reconciler asks of the API, nothing runs.
    controllers: false,
    tmpfs: false,
  });
  cleanups.push(() => lab.close());
  await writeFile(path.join(tmp, `${VCLUSTER}.kubeconfig`), lab.kubeconfig());

  log(`seeding ${APPLICATIONS} applications, their destination volumes (with PVs in the lab) and ${BACKUPS} backups`);
  await db.insert(plans).values({
    id: "bench",
    name: "Bench",
    dedicated: true,
    storageCeilingGiB: 100_000,
    priceCentsPerGiBMonth: 8,
    currency: "EUR",
    minBackupIntervalMinutes: 15,
  });
  const [workspace] = await db
    .insert(workspaces)
    .values({ slug: VCLUSTER, name: "Bench", planId: "bench", vclusterName: VCLUSTER, namespaces })
    .returning();
  const apps = await db
    .insert(applications)
    .values(namespaces.map((ns) => ({ workspaceId: workspace!.id, name: ns, namespace: ns })))
    .returning();
  const volumes = await db
    .insert(storageVolumes)
    .values(
      namespaces.map((ns) => ({
        workspaceId: workspace!.id,
        name: `dest-${ns}`,
        sizeGiB: 50,
        status: "AVAILABLE" as const,
        node: "pve1",
        storage: "local-lvm",
        diskName: `vm-9999-hks-${VCLUSTER}-dest-${ns}`,
        proxmoxVolumeId: `local-lvm:vm-9999-hks-${VCLUSTER}-dest-${ns}`,
        storageClassName: `hks-dest-${ns}`,
        persistentVolumeName: `hks-${VCLUSTER}-dest-${ns}`,
      })),
    )
    .returning();
  for (const v of volumes)
    lab.store.create(
      persistentVolumeManifest({
        name: v.persistentVolumeName,
        volumeId: v.id,
        workspace: VCLUSTER,
        storageClassName: v.storageClassName,
        sizeGiB: v.sizeGiB,
        csiDriver: "csi.proxmox.sinextra.dev",
        region: "hks-lab",
        zone: "pve1",
        proxmoxStorage: "local-lvm",
        diskName: v.diskName,
      }) as never,
    );
  const rows = Array.from({ length: BACKUPS }, (_, j) => {
    const app = j % APPLICATIONS;
    const id = randomUUID();
    const name = `b-${j}`;
    return {
      id,
      workspaceId: workspace!.id,
      applicationId: apps[app]!.id,
      name,
      schedule: `${j % 60} ${j % 24} * * *`,
      timeZone: j % 2 ? "UTC" : "Europe/Berlin",
      sourcePvcName: "data",
      destinationVolumeId: volumes[app]!.id,
      destinationPath: `backups/${name}`,
      functionKind: "TAR" as const,
      functionParams: { compression: "ZSTD" as const },
      retention: { keepLast: 7, keepDaily: 7 },
      cronJobName: cronJobNameFor({ name, id }),
    };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insert(backups).values(rows.slice(i, i + 500));

  const vclusters = new VClusters(tmp);
  const workspaceRepository = new WorkspaceRepository(db);
  const reconciler = benchReconciler({ db, vclusters, workspaces: workspaceRepository, logger: createLogger({ silent: true }) });

  const pass = async (what: string) => {
    global.gc?.();
    lab.requests.reset();
    const started = performance.now();
    const stats = await reconciler.reconcileAll();
    const elapsed = performance.now() - started;
    const counts = lab.requests.counts();
    log(
      `${what}: ${ms(elapsed, 0)}, reconciler says ${stats.writes} written of ${stats.backups}; API got ${counts.writes} writes, ${counts.reads} reads ${JSON.stringify(counts.byMethod)}`,
    );
    return { elapsed, stats, counts };
  };
  const first = await pass("first pass");
  const cronJobs = lab.store
    .list("batch/v1", "CronJob")
    .filter((c) => c.metadata.labels?.["app.kubernetes.io/managed-by"] === "hks").length;
  if (cronJobs !== BACKUPS) throw new Error(`the first pass left ${cronJobs} CronJobs for ${BACKUPS} backups`);
  const unchanged = await pass("unchanged pass");

  console.log("\npass      | duration   | API writes | API reads | by method");
  for (const [what, p] of [
    ["first", first],
    ["unchanged", unchanged],
  ] as const)
    console.log(
      `${what.padEnd(9)} | ${ms(p.elapsed, 0).padStart(10)} | ${String(p.counts.writes).padStart(10)} | ${String(p.counts.reads).padStart(9)} | ${JSON.stringify(p.counts.byMethod)}`,
    );

  report({
    bench: "reconcile",
    figures: [
      {
        what: `first pass, ${BACKUPS.toLocaleString("en")} Backups to CronJobs`,
        value: `${ms(first.elapsed, 0)}, ${first.counts.writes} writes, ${first.counts.reads} reads`,
      },
      { what: "unchanged pass", value: `${ms(unchanged.elapsed, 0)}, ${unchanged.counts.writes} writes, ${unchanged.counts.reads} reads` },
    ],
    target: "unchanged pass makes 0 writes to the Kubernetes API",
    met: unchanged.counts.writes === 0,
    note: unchanged.counts.writes === 0 ? undefined : `the unchanged pass wrote ${unchanged.counts.writes} times`,
  });
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
