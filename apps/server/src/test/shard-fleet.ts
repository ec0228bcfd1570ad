/**
 * Many small workspaces for the sharding test and the failover bench: each a lab Kubernetes API of its own (no
 * controllers: nothing runs, the test plays the Job controller) and one application, destination volume and Backup in
 * the database, seeded straight into the tables. The server processes find the vClusters' kubeconfigs in `kubeconfigDir`.
 */
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { startKubeApiServer, type KubeLab } from "@hks/lab";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "../db/schema/index.js";
import { BACKUP_ID_LABEL, cronJobNameFor, RUN_KIND_LABEL } from "../modules/backups/translation.js";

export interface FleetWorkspace {
  id: string;
  slug: string;
  backupId: string;
  lab: KubeLab;
}

export interface ShardFleet {
  workspaces: FleetWorkspace[];
  /** A backup Job as the CronJob would create it, running (active, started). */
  startJob(workspace: FleetWorkspace, name: string): void;
  /** Marks the Job complete with a pod whose termination message carries the function's result. */
  finishJob(workspace: FleetWorkspace, name: string): void;
  close(): Promise<void>;
}

const NAMESPACE = "app";

export async function startShardFleet(options: {
  databaseUrl: string;
  kubeconfigDir: string;
  count: number;
  prefix?: string;
}): Promise<ShardFleet> {
  const prefix = options.prefix ?? "fleet";
  const client = postgres(options.databaseUrl, { max: 2, onnotice: () => undefined });
  const db = drizzle(client, { schema });
  const labs: KubeLab[] = [];
  const workspaces: FleetWorkspace[] = [];
  try {
    const slugs = Array.from({ length: options.count }, (_, i) => `${prefix}-${String(i).padStart(3, "0")}`);
    labs.push(
      ...(await Promise.all(
        slugs.map((slug) =>
          startKubeApiServer({
            name: slug,
            namespaces: [NAMESPACE],
            nodes: [{ name: "pve1", region: "hks-lab", zone: "pve1" }],
            controllers: false,
            tmpfs: false,
          }),
        ),
      )),
    );
    await Promise.all(labs.map((lab, i) => writeFile(path.join(options.kubeconfigDir, `${slugs[i]}.kubeconfig`), lab.kubeconfig())));
    // One statement per table for all of them: the fleet appears at once, not one workspace a tick.
    const rows = await db
      .insert(schema.workspaces)
      .values(slugs.map((slug) => ({ slug, name: slug, planId: "dedicated", vclusterName: slug, namespaces: [NAMESPACE] })))
      .returning();
    const apps = await db
      .insert(schema.applications)
      .values(rows.map((w) => ({ workspaceId: w.id, name: "app", namespace: NAMESPACE })))
      .returning();
    const volumes = await db
      .insert(schema.storageVolumes)
      .values(
        rows.map((w) => ({
          workspaceId: w.id,
          name: "dest",
          sizeGiB: 10,
          status: "AVAILABLE" as const,
          node: "pve1",
          storage: "local-lvm",
          diskName: `vm-9999-hks-${w.slug}-dest`,
          proxmoxVolumeId: `local-lvm:vm-9999-hks-${w.slug}-dest`,
          storageClassName: "hks-dest",
          persistentVolumeName: `hks-${w.slug}-dest`,
        })),
      )
      .returning();
    const backupIds = rows.map(() => randomUUID());
    await db.insert(schema.backups).values(
      rows.map((w, i) => ({
        id: backupIds[i]!,
        workspaceId: w.id,
        applicationId: apps.find((a) => a.workspaceId === w.id)!.id,
        name: "nightly",
        // Once a year: no scheduled run falls due (or is missed) while a test runs.
        schedule: "0 3 1 1 *",
        timeZone: "UTC",
        sourcePvcName: "data",
        destinationVolumeId: volumes.find((v) => v.workspaceId === w.id)!.id,
        destinationPath: "backups/nightly",
        functionKind: "TAR" as const,
        functionParams: { compression: "ZSTD" as const },
        retention: { keepLast: 7 },
        cronJobName: cronJobNameFor({ name: "nightly", id: backupIds[i]! }),
      })),
    );
    for (const [i, slug] of slugs.entries()) {
      const w = rows.find((r) => r.slug === slug)!;
      workspaces.push({ id: w.id, slug, backupId: backupIds[rows.indexOf(w)]!, lab: labs[i]! });
    }
  } catch (error) {
    await Promise.all(labs.map((l) => l.close()));
    throw error;
  } finally {
    await client.end();
  }

  return {
    workspaces,
    startJob(workspace, name) {
      const now = new Date().toISOString();
      workspace.lab.store.create({
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: {
          name,
          namespace: NAMESPACE,
          labels: { "app.kubernetes.io/managed-by": "hks", [BACKUP_ID_LABEL]: workspace.backupId, [RUN_KIND_LABEL]: "backup" },
          annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
        },
        spec: {
          template: { spec: { restartPolicy: "Never", containers: [{ name: "backup", image: "ghcr.io/hks/backup-functions:test" }] } },
        },
        status: { active: 1, startTime: now },
      } as never);
    },
    finishJob(workspace, name) {
      const job = workspace.lab.store.read("batch/v1", "Job", NAMESPACE, name);
      const now = new Date().toISOString();
      workspace.lab.store.update({
        ...job,
        status: {
          succeeded: 1,
          startTime: job.status?.["startTime"],
          completionTime: now,
          conditions: [{ type: "Complete", status: "True", lastTransitionTime: now }],
        },
      } as never);
    },
    close: async () => {
      await Promise.all(labs.map((l) => l.close()));
    },
  };
}
