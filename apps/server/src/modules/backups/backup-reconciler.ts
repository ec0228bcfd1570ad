import type { V1CronJob, V1PersistentVolume, V1Pod, V1Secret } from "@kubernetes/client-node";
import type { Database } from "../../db/client.js";
import type { Logger } from "../../logger.js";
import { unobserved, type CycleObserver } from "../../observability/metrics.js";
import { CRON_JOB, cronJobManifest } from "../../platform/kubernetes/kinds/cron-job.js";
import { PERSISTENT_VOLUME } from "../../platform/kubernetes/kinds/persistent-volume.js";
import { volumeClaimManifest } from "../../platform/kubernetes/kinds/persistent-volume-claim.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import { keySecretsByNamespace, type RepositoryKeyService } from "../repository-keys/repository-key.service.js";
import { ApplicationRepository, type ApplicationRecord } from "../applications/application.repository.js";
import { VolumeRepository, type StorageVolumeRecord } from "../volumes/volume.repository.js";
import type { WorkspaceRecord, WorkspaceRepository, WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import type { Watches } from "../cluster-watches.js";
import type { WorkspaceShare } from "../workspaces/workspace-share.js";
import { BackupRepository, type BackupRecord } from "./backup.repository.js";
import { claimThrough, destinationClaim, destinationVolume, toBackupSpec, usableDestination } from "./backup-spec.js";
import { LeftoverPods } from "./leftover-pods.js";
import { checkCronJob, checkCronJobNameFor } from "./repository-checks.js";
import {
  BACKUP_ID_LABEL,
  RUN_KIND_LABEL,
  backupJobSpec,
  backupLabels,
  SPEC_HASH_ANNOTATION,
  specHash,
  type TranslationOptions,
} from "./translation.js";

type ClusterWatchOf = ReturnType<Watches["start"]>;

const POLICY = { FORBID: "Forbid", ALLOW: "Allow", REPLACE: "Replace" } as const;

export interface ReconcileStats {
  backups: number;
  writes: number;
  deletes: number;
  /** Pods a crash left behind (leftover-pods.ts), deleted by this pass. */
  leftoverPods: number;
}

/** How often a workspace's leftover pods are looked for: at the first pass after a start, then now and then. */
const LEFTOVER_SWEEP_MS = 5 * 60_000;

/**
 * Makes each workspace's vCluster hold exactly one CronJob per live Backup, as the Backup says.
 * A digest of the desired CronJob rides on it as an annotation: an unchanged Backup costs one read, never a write.
 */
export class BackupReconciler {
  private readonly swept = new Map<string, number>();

  constructor(
    private readonly deps: {
      db: Database;
      /** The workspaces' repository keys, which RESTIC backups' pods read from a Secret in their namespace. */
      keys: RepositoryKeyService;
      vclusters: VClusters;
      workspaces: WorkspaceRepository;
      translation: TranslationOptions;
      logger: Logger;
      observeCycle?: CycleObserver;
      /**
       * The vClusters' CronJobs, PVs, key Secrets and leftover-sweep pods by watch: a pass reads them from the caches
       * instead of listing them, so an idle vCluster is sent nothing.
       */
      watches?: Watches;
      /** With several replicas: a pass covers only the workspaces this replica holds the lease on. */
      share?: WorkspaceShare;
    },
  ) {}

  /** The desired CronJob (and destination claim) for a backup; a pass hands over what it already read for all. */
  async desired(backup: BackupRecord, pass?: PassContext) {
    const workspace = pass?.workspace ?? (await this.deps.workspaces.findById(backup.workspaceId))!;
    const client = pass?.client ?? this.deps.vclusters.forName(workspace.vclusterName);
    const app = pass
      ? pass.applications.get(backup.applicationId)!
      : (await new ApplicationRepository(this.deps.db, backup.workspaceId).get(backup.applicationId))!;
    const volume = pass
      ? usableDestination(pass.volumes.get(backup.destinationVolumeId))
      : await destinationVolume(this.deps.db, backup.workspaceId, backup.destinationVolumeId);
    const claim = pass
      ? claimThrough(pass.persistentVolumes.get(volume.persistentVolumeName), volume, app.namespace)
      : await destinationClaim(client, volume, app.namespace);
    const spec = toBackupSpec(backup, app, volume, claim);
    const cronJob = cronJobManifest({
      name: backup.cronJobName,
      namespace: app.namespace,
      labels: backupLabels(spec),
      schedule: backup.schedule,
      timeZone: backup.timeZone,
      suspend: backup.suspended,
      concurrencyPolicy: POLICY[backup.concurrencyPolicy],
      startingDeadlineSeconds: this.deps.translation.startingDeadlineSeconds,
      jobSpec: backupJobSpec(spec, this.deps.translation),
    });
    const claimManifest = claim.managed
      ? volumeClaimManifest({
          name: claim.name,
          namespace: app.namespace,
          volumeId: volume.id,
          storageClassName: volume.storageClassName,
          persistentVolumeName: volume.persistentVolumeName,
          sizeGiB: volume.sizeGiB,
        })
      : undefined;
    // The repository check's CronJob rides on the backup's hash: an unchanged Backup still costs one read.
    const checkJob = checkCronJob(backup, spec, this.deps.translation);
    const hash = specHash({ cronJob, claimManifest, checkJob });
    cronJob.metadata!.annotations = { [SPEC_HASH_ANNOTATION]: hash };
    if (checkJob) checkJob.metadata!.annotations = { [SPEC_HASH_ANNOTATION]: hash };
    return { client, cronJob, claimManifest, checkJob, hash, spec };
  }

  /** Applies one backup; `liveHash` (from a list) spares the read when the caller already has it. */
  async reconcile(backup: BackupRecord, liveHash?: string | null, pass?: PassContext): Promise<{ written: boolean }> {
    const repo = new BackupRepository(this.deps.db, backup.workspaceId);
    const { client, cronJob, claimManifest, checkJob, hash } = await this.desired(backup, pass);
    // Before the hash check: a deleted or altered key Secret leaves the CronJob as it was.
    if (backup.format === "RESTIC")
      await this.ensureKey(
        pass?.workspace ?? (await this.deps.workspaces.findById(backup.workspaceId))!,
        client,
        cronJob.metadata!.namespace!,
        pass,
      );
    const readHash = async () =>
      (await client.read<V1CronJob>({ ...CRON_JOB, metadata: { name: backup.cronJobName, namespace: cronJob.metadata!.namespace! } }))
        ?.metadata?.annotations?.[SPEC_HASH_ANNOTATION] ?? null;
    let current = liveHash !== undefined ? liveHash : await readHash();
    // A watch cache may not have our own last write yet: the live object decides before anything is written.
    if (current !== hash && pass?.cached) current = await readHash();
    if (current === hash) {
      if (backup.appliedHash !== hash || backup.reconcileError) await repo.update(backup.id, { appliedHash: hash, reconcileError: null });
      return { written: false };
    }
    if (claimManifest) {
      // Many backups of an application write to one volume through one claim: a pass applies it once.
      const key = `${claimManifest.metadata!.namespace}/${claimManifest.metadata!.name}`;
      if (!pass?.appliedClaims.has(key)) await client.apply(claimManifest);
      pass?.appliedClaims.add(key);
    }
    // Before the backup's CronJob, whose hash says "all applied".
    const namespace = cronJob.metadata!.namespace!;
    if (checkJob) await client.apply(checkJob);
    else if (!pass?.checkCronJobs || pass.checkCronJobs.has(`${namespace}/${checkCronJobNameFor(backup)}`))
      await client.delete({ ...CRON_JOB, metadata: { name: checkCronJobNameFor(backup), namespace } });
    await client.apply(cronJob);
    await repo.update(backup.id, { appliedHash: hash, reconcileError: null });
    return { written: true };
  }

  /** The namespace's repository-key Secret holds the workspace's key; a pass reads them all once and writes each once. */
  async ensureKey(workspace: WorkspaceRecord, client: VClusterClient, namespace: string, pass?: PassContext): Promise<void> {
    if (pass?.appliedKeys.has(namespace)) return;
    await this.deps.keys.ensureSecret(client, workspace, namespace, pass ? (pass.keySecrets.get(namespace) ?? null) : undefined, {
      cached: pass?.cached,
    });
    pass?.appliedKeys.add(namespace);
  }

  async remove(backup: BackupRecord, namespace: string): Promise<void> {
    const workspace = (await this.deps.workspaces.findById(backup.workspaceId))!;
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    await client.delete({ ...CRON_JOB, metadata: { name: backup.cronJobName, namespace } });
    await client.delete({ ...CRON_JOB, metadata: { name: checkCronJobNameFor(backup), namespace } });
  }

  /**
   * One pass over every workspace: converge drifted CronJobs, remove ones whose Backup is gone. What every backup of a
   * workspace needs is read once for all of them (its CronJobs and PVs in one list each, its applications and volumes in
   * one query each), so an unchanged pass costs a few requests per workspace, not one per backup.
   */
  reconcileAll(): Promise<ReconcileStats> {
    return (this.deps.observeCycle ?? unobserved)(() => this.reconcileEverything());
  }

  private async reconcileEverything(): Promise<ReconcileStats> {
    const stats: ReconcileStats = { backups: 0, writes: 0, deletes: 0, leftoverPods: 0 };
    for (const workspace of await this.deps.workspaces.all()) {
      if (this.deps.share && !this.deps.share.fence(workspace.id)) continue;
      const repo = new BackupRepository(this.deps.db, workspace.id);
      const live = await repo.listLive();
      const client = this.deps.vclusters.forName(workspace.vclusterName);
      let cronJobs: V1CronJob[];
      let pass: PassContext;
      try {
        const watch = this.deps.watches?.start(workspace.vclusterName);
        await watch?.synced();
        const [jobs, pvs, apps, volumes, keySecrets] = await Promise.all([
          watch
            ? watch.list<V1CronJob>("cronJobs")
            : client.listPlain<V1CronJob>(
                CRON_JOB.apiVersion,
                CRON_JOB.kind,
                undefined,
                `app.kubernetes.io/managed-by=hks,${BACKUP_ID_LABEL}`,
              ),
          !live.length
            ? []
            : watch
              ? watch.list<V1PersistentVolume>("volumes")
              : client.listPlain<V1PersistentVolume>(
                  PERSISTENT_VOLUME.apiVersion,
                  PERSISTENT_VOLUME.kind,
                  undefined,
                  "app.kubernetes.io/managed-by=hks",
                ),
          live.length ? new ApplicationRepository(this.deps.db, workspace.id).list() : [],
          live.length ? new VolumeRepository(this.deps.db, workspace.id).list() : [],
          !live.some((b) => b.format === "RESTIC")
            ? new Map<string, V1Secret>()
            : watch
              ? keySecretsByNamespace(watch.list<V1Secret>("keySecrets"))
              : this.deps.keys.liveSecrets(client),
        ]);
        cronJobs = jobs;
        pass = {
          workspace,
          client,
          applications: new Map(apps.map((a) => [a.id, a])),
          volumes: new Map(volumes.map((v) => [v.id, v])),
          persistentVolumes: new Map(pvs.map((pv) => [pv.metadata?.name ?? "", pv])),
          appliedClaims: new Set(),
          keySecrets,
          appliedKeys: new Set(),
          cached: !!watch,
          watch,
          checkCronJobs: new Set(
            jobs
              .filter((c) => c.metadata?.labels?.[RUN_KIND_LABEL] === "verify")
              .map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`),
          ),
        };
      } catch (error) {
        if (live.length) this.deps.logger.warn("cannot list CronJobs", { workspace: workspace.slug, error: String(error) });
        continue;
      }
      // A Backup's own CronJob carries its hash; its check CronJob (run kind verify) goes with it.
      const byBackup = new Map(
        cronJobs.filter((c) => c.metadata?.labels?.[RUN_KIND_LABEL] !== "verify").map((c) => [c.metadata?.labels?.[BACKUP_ID_LABEL], c]),
      );
      for (const backup of live) {
        stats.backups++;
        try {
          const cron = byBackup.get(backup.id);
          const { written } = await this.reconcile(backup, cron?.metadata?.annotations?.[SPEC_HASH_ANNOTATION] ?? null, pass);
          if (written) stats.writes++;
        } catch (error) {
          await repo.update(backup.id, { reconcileError: error instanceof Error ? error.message : String(error) });
        }
      }
      const liveIds = new Set(live.map((b) => b.id));
      for (const cron of cronJobs) {
        const id = cron.metadata?.labels?.[BACKUP_ID_LABEL];
        if (id && !liveIds.has(id)) {
          await client.delete({ ...CRON_JOB, metadata: { name: cron.metadata!.name!, namespace: cron.metadata!.namespace! } });
          stats.deletes++;
        }
      }
      stats.leftoverPods += await this.sweepLeftovers(workspace, client, pass.watch);
    }
    return stats;
  }

  /** Deletes the workspace's pods a crash left behind, at the first pass after a start and every few minutes. */
  private async sweepLeftovers(workspace: WorkspaceRecord, client: VClusterClient, watch?: ClusterWatchOf): Promise<number> {
    if (Date.now() - (this.swept.get(workspace.id) ?? 0) < LEFTOVER_SWEEP_MS) return 0;
    try {
      const cached = watch && { tasks: watch.list<V1Pod>("taskPods"), serving: watch.list<V1Pod>("servingPods") };
      const gone = await new LeftoverPods({ db: this.deps.db, workspaceId: workspace.id }).sweep(client, cached);
      this.swept.set(workspace.id, Date.now());
      if (gone.length) this.deps.logger.info("deleted pods left behind", { workspace: workspace.slug, pods: gone });
      return gone.length;
    } catch (error) {
      this.deps.logger.warn("cannot sweep leftover pods", { workspace: workspace.slug, error: String(error) });
      return 0;
    }
  }
}

/** What one reconcile pass reads once per workspace and shares between its backups. */
interface PassContext {
  workspace: WorkspaceWithPlan;
  client: VClusterClient;
  applications: Map<string, ApplicationRecord>;
  volumes: Map<string, StorageVolumeRecord>;
  persistentVolumes: Map<string, V1PersistentVolume>;
  /** Destination claims applied in this pass. */
  appliedClaims: Set<string>;
  /** The repository-key Secrets by namespace, as listed at the start of the pass. */
  keySecrets: Map<string, V1Secret>;
  /** Namespaces whose key Secret this pass has checked. */
  appliedKeys: Set<string>;
  /** The CronJobs, PVs and key Secrets came from watch caches (which may lag a write of a moment ago). */
  cached?: boolean;
  /** The vCluster's watch, synced, when the reconciler has watches. */
  watch?: ClusterWatchOf;
  /** The check CronJobs (namespace/name) listed at the start of the pass: one that is not there needs no delete. */
  checkCronJobs?: Set<string>;
}
