/**
 * Many workspaces, each with a lab vCluster of its own (no controllers: nothing runs, the bench plays the Job
 * controller), one application, one destination volume (its PV in the vCluster) and `backupsEach` Backups, seeded
 * straight into the tables in one statement per table. The kubeconfigs go to `kubeconfigDir`, where a server (or an
 * in-process VClusters) finds them.
 */
import { randomUUID } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { startKubeApiServer, type KubeLab } from "@hks/lab";
import type { Database } from "../../apps/server/src/db/client.js";
import { applications, backups, storageVolumes, workspaces } from "../../apps/server/src/db/schema/index.js";
import { BACKUP_ID_LABEL, backupLabels, cronJobNameFor } from "../../apps/server/src/modules/backups/translation.js";
import { persistentVolumeManifest } from "../../apps/server/src/platform/kubernetes/kinds/persistent-volume.js";

const NAMESPACE = "app";

export interface FleetWorkspace {
  id: string;
  vcluster: string;
  namespace: string;
  lab: KubeLab;
  backupIds: string[];
}

export interface BackupFleet {
  workspaces: FleetWorkspace[];
  /** A backup Job as a manual run of the Backup's CronJob creates it. */
  createJob(workspace: FleetWorkspace, backupId: string, name: string): void;
  /** Marks the Job Complete, as the Job controller does (a status update). */
  finishJob(workspace: FleetWorkspace, name: string): void;
  /** The API requests every vCluster answered since the last reset (watches opened are among the reads). */
  requests(): { reads: number; writes: number; watches: number };
  resetRequests(): void;
  close(): Promise<void>;
}

export async function startBackupFleet(options: {
  db: Database;
  kubeconfigDir: string;
  count: number;
  backupsEach: number;
  planId: string;
  prefix?: string;
}): Promise<BackupFleet> {
  const { db, count, backupsEach } = options;
  const names = Array.from({ length: count }, (_, i) => `${options.prefix ?? "w"}${String(i).padStart(3, "0")}`);
  const labs = await Promise.all(
    names.map((name) =>
      startKubeApiServer({
        name,
        namespaces: [NAMESPACE],
        nodes: [{ name: "pve1", region: "hks-lab", zone: "pve1" }],
        controllers: false,
        tmpfs: false,
      }),
    ),
  );
  const close = () => Promise.all(labs.map((l) => l.close())).then(() => undefined);
  try {
    await Promise.all(labs.map((lab, i) => writeFile(path.join(options.kubeconfigDir, `${names[i]}.kubeconfig`), lab.kubeconfig())));
    const rows = await db
      .insert(workspaces)
      .values(names.map((name) => ({ slug: name, name, planId: options.planId, vclusterName: name, namespaces: [NAMESPACE] })))
      .returning();
    const byName = new Map(rows.map((w) => [w.vclusterName, w]));
    const apps = await db
      .insert(applications)
      .values(rows.map((w) => ({ workspaceId: w.id, name: "app", namespace: NAMESPACE })))
      .returning();
    const volumes = await db
      .insert(storageVolumes)
      .values(
        rows.map((w) => ({
          workspaceId: w.id,
          name: "dest",
          sizeGiB: 50,
          status: "AVAILABLE" as const,
          node: "pve1",
          storage: "local-lvm",
          diskName: `vm-9999-hks-${w.vclusterName}-dest`,
          proxmoxVolumeId: `local-lvm:vm-9999-hks-${w.vclusterName}-dest`,
          storageClassName: "hks-dest",
          persistentVolumeName: `hks-${w.vclusterName}-dest`,
        })),
      )
      .returning();
    const fleet: FleetWorkspace[] = [];
    const backupRows = [];
    for (const [i, name] of names.entries()) {
      const workspace = byName.get(name)!;
      const app = apps.find((a) => a.workspaceId === workspace.id)!;
      const volume = volumes.find((v) => v.workspaceId === workspace.id)!;
      labs[i]!.store.create(
        persistentVolumeManifest({
          name: volume.persistentVolumeName,
          volumeId: volume.id,
          workspace: name,
          storageClassName: volume.storageClassName,
          sizeGiB: 50,
          csiDriver: "csi.proxmox.sinextra.dev",
          region: "hks-lab",
          zone: "pve1",
          proxmoxStorage: "local-lvm",
          diskName: volume.diskName,
        }) as never,
      );
      const ids: string[] = [];
      for (let j = 0; j < backupsEach; j++) {
        const id = randomUUID();
        const backup = `b-${j}`;
        ids.push(id);
        backupRows.push({
          id,
          workspaceId: workspace.id,
          applicationId: app.id,
          name: backup,
          // Daily at 03:xx: no scheduled run falls due (or is missed) while a bench runs, unless it runs at 3 am.
          schedule: `${(j * 7) % 60} 3 * * *`,
          timeZone: "UTC",
          sourcePvcName: "data",
          destinationVolumeId: volume.id,
          destinationPath: `backups/${backup}`,
          functionKind: "TAR" as const,
          functionParams: { compression: "ZSTD" as const },
          retention: { keepLast: 7 },
          cronJobName: cronJobNameFor({ name: backup, id }),
        });
      }
      fleet.push({ id: workspace.id, vcluster: name, namespace: NAMESPACE, lab: labs[i]!, backupIds: ids });
    }
    // In slices: one statement's parameters are bounded (65,535 in PostgreSQL's protocol).
    for (let i = 0; i < backupRows.length; i += 1000) await db.insert(backups).values(backupRows.slice(i, i + 1000));
    return {
      workspaces: fleet,
      createJob(workspace, backupId, name) {
        workspace.lab.store.create({
          apiVersion: "batch/v1",
          kind: "Job",
          metadata: {
            name,
            namespace: workspace.namespace,
            labels: { ...backupLabels({ id: backupId, applicationId: "bench" }), [BACKUP_ID_LABEL]: backupId },
            annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
          },
          spec: {
            template: { spec: { restartPolicy: "Never", containers: [{ name: "backup", image: "ghcr.io/hks/backup-functions:bench" }] } },
          },
        } as never);
      },
      finishJob(workspace, name) {
        const now = new Date().toISOString();
        workspace.lab.store.modify(
          "batch/v1",
          "Job",
          workspace.namespace,
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
      },
      requests() {
        const total = { reads: 0, writes: 0, watches: 0 };
        for (const lab of labs) {
          const c = lab.requests.counts();
          total.reads += c.reads;
          total.writes += c.writes;
          total.watches += c.watches;
        }
        return total;
      },
      resetRequests() {
        for (const lab of labs) lab.requests.reset();
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
