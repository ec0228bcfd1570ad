import { randomBytes, randomUUID } from "node:crypto";
import type { V1Job, V1PersistentVolume, V1Pod } from "@kubernetes/client-node";
import { parseResult } from "@hks/backup-functions";
import type { Database } from "../../db/client.js";
import { conflict } from "../../kernel/errors.js";
import { toLabBytes } from "../../kernel/units.js";
import type { Logger } from "../../logger.js";
import { JOB, jobManifest, POD } from "../../platform/kubernetes/kinds/cron-job.js";
import { PERSISTENT_VOLUME } from "../../platform/kubernetes/kinds/persistent-volume.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import { ApplicationRepository, type ApplicationRecord } from "../applications/application.repository.js";
import { VolumeRepository, type StorageVolumeRecord } from "../volumes/volume.repository.js";
import type { WorkspaceRecord } from "../workspaces/workspace.repository.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import type { BackupReconciler } from "./backup-reconciler.js";
import { BackupRepository, type BackupRecord } from "./backup.repository.js";
import { catalogDocument, describeRescan, rebuildCatalog } from "./catalog-rebuild.js";
import { catalogJobLabels, catalogJobSpec } from "./catalog-translation.js";
import { ensureManagedClaim, releaseManagedClaims } from "./destination-claims.js";
import { RestorePointRepository, type CatalogJobRecord } from "./restore-point.repository.js";
import { CONTAINER, type TranslationOptions } from "./translation.js";

export interface CatalogJobsDeps {
  db: Database;
  vclusters: VClusters;
  workspaces: WorkspaceService;
  translation: TranslationOptions;
  reconciler: Pick<BackupReconciler, "ensureKey">;
  logger?: Logger;
  labBytesPerGiB?: number;
  /** How often a started Job is looked at until it reports (the API also settles it when asked). */
  followEveryMs?: number;
}

const FINAL = new Set(["SUCCEEDED", "FAILED"]);

/**
 * Jobs that keep the catalog of restore points true to the repositories: a rescan of a volume, and the forget of a
 * deleted Backup's snapshots. Each is a row in catalog_jobs and a Job of the backup functions; the row is settled
 * (the Job's result applied) by whoever looks first: the follower started with it, or a reader of the row.
 */
export class CatalogJobs {
  private readonly settling = new Map<string, Promise<CatalogJobRecord>>();

  constructor(private readonly deps: CatalogJobsDeps) {}

  async startRescan(workspace: WorkspaceRecord, volume: StorageVolumeRecord, requestedBy: string): Promise<CatalogJobRecord> {
    const repo = new RestorePointRepository(this.deps.db, workspace.id);
    const open = await repo.latestJob(volume.id, "RESCAN");
    if (open && !FINAL.has(open.status)) {
      const settled = await this.settle(workspace.id, open.id);
      if (!FINAL.has(settled.status))
        throw conflict(`A rescan of '${volume.name}' is already running (started ${open.createdAt.toISOString()}); wait for its outcome.`);
    }
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    const namespace = await this.mountNamespace(client, workspace.id, volume);
    const known = await repo.knownSnapshots(volume.id);
    return this.start(repo, client, workspace, volume, {
      kind: "RESCAN",
      namespace,
      requestedBy,
      build: (id, claimName) => ({
        catalogJobId: id,
        claimName,
        zone: volume.node,
        namespace,
        mode: "catalog",
        knownSnapshots: known.filter(({ run }) => !run.prunedAt).map(({ run }) => run.snapshot!.slice(0, 8)),
      }),
    });
  }

  /** Removes a (deleted) Backup's snapshots from its repository; its runs are marked pruned when the Job succeeds. */
  async startForget(
    workspace: WorkspaceRecord,
    backup: BackupRecord,
    app: ApplicationRecord,
    volume: StorageVolumeRecord,
    requestedBy: string,
  ): Promise<CatalogJobRecord> {
    const repo = new RestorePointRepository(this.deps.db, workspace.id);
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    return this.start(repo, client, workspace, volume, {
      kind: "FORGET",
      backupId: backup.id,
      namespace: app.namespace,
      requestedBy,
      build: (id, claimName) => ({
        catalogJobId: id,
        claimName,
        zone: volume.node,
        namespace: app.namespace,
        mode: "forget-backup",
        repositoryPath: backup.destinationPath,
        backup: { id: backup.id, applicationId: app.id, name: backup.name },
      }),
    });
  }

  private async start(
    repo: RestorePointRepository,
    client: VClusterClient,
    workspace: WorkspaceRecord,
    volume: StorageVolumeRecord,
    job: {
      kind: CatalogJobRecord["kind"];
      namespace: string;
      backupId?: string;
      requestedBy: string;
      build: (id: string, claimName: string) => Parameters<typeof catalogJobSpec>[0];
    },
  ): Promise<CatalogJobRecord> {
    const claim = await ensureManagedClaim(client, volume, job.namespace);
    await this.deps.reconciler.ensureKey(workspace, client, job.namespace);
    const id = randomUUID();
    const name = `hks-${job.kind === "RESCAN" ? "rescan" : "forget"}-${volume.name.slice(0, 30)}-${randomBytes(3).toString("hex")}`;
    const record = await repo.insertJob({
      id,
      kind: job.kind,
      volumeId: volume.id,
      backupId: job.backupId,
      namespace: job.namespace,
      claimName: claim.name,
      jobName: name,
      status: "SCHEDULED",
      requestedBy: job.requestedBy,
    });
    try {
      await client.apply(
        jobManifest({
          name,
          namespace: job.namespace,
          labels: catalogJobLabels(id),
          jobSpec: catalogJobSpec(job.build(id, claim.name), this.deps.translation),
        }),
      );
    } catch (error) {
      await repo.updateJob(id, {
        status: "FAILED",
        message: `The Job could not be created: ${(error as Error).message}`,
        finishedAt: new Date(),
      });
      throw error;
    }
    void this.follow(workspace.id, id);
    return record;
  }

  /** The row, with the Job's outcome applied if it has one now; concurrent callers share one settlement. */
  settle(workspaceId: string, id: string): Promise<CatalogJobRecord> {
    let pending = this.settling.get(id);
    if (!pending) {
      pending = this.settleOnce(workspaceId, id).finally(() => this.settling.delete(id));
      this.settling.set(id, pending);
    }
    return pending;
  }

  private async follow(workspaceId: string, id: string): Promise<void> {
    const every = this.deps.followEveryMs ?? 1000;
    const until = Date.now() + this.deps.translation.activeDeadlineSeconds * 1000 + 60_000;
    let failures = 0;
    // Gives up after a few failures in a row (e.g. the server is stopping); a reader of the row settles it later.
    while (Date.now() < until && failures < 5) {
      await new Promise((resolve) => setTimeout(resolve, every).unref());
      try {
        if (FINAL.has((await this.settle(workspaceId, id)).status)) return;
        failures = 0;
      } catch (error) {
        failures++;
        this.deps.logger?.warn("catalog job follow failed", { id, error: String(error) });
      }
    }
  }

  private async settleOnce(workspaceId: string, id: string): Promise<CatalogJobRecord> {
    const repo = new RestorePointRepository(this.deps.db, workspaceId);
    const record = (await repo.job(id))!;
    if (FINAL.has(record.status)) return record;
    const workspace = await this.deps.workspaces.cachedWorkspace(workspaceId);
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    const job = await client.read<V1Job>({ ...JOB, metadata: { name: record.jobName, namespace: record.namespace } });
    if (!job) {
      if (Date.now() - record.createdAt.getTime() < 30_000) return record;
      return this.finish(repo, record, "FAILED", "The Job disappeared from the cluster before it reported a result; start it again.");
    }
    const done = job.status?.conditions?.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
    if (!done) {
      const running = (job.status?.active ?? 0) > 0;
      return running && record.status !== "RUNNING" ? repo.updateJob(id, { status: "RUNNING" }) : record;
    }
    const pods = await client.list<V1Pod>(POD.apiVersion, POD.kind, record.namespace, `job-name=${record.jobName}`);
    const pod = pods.at(-1);
    const terminated = pod?.status?.containerStatuses?.find((c) => c.name === CONTAINER)?.state?.terminated;
    const result = parseResult(terminated?.message, terminated?.exitCode);
    const volume = await new VolumeRepository(this.deps.db, workspaceId).get(record.volumeId);
    let settled: CatalogJobRecord;
    if (done.type === "Failed" || result.outcome === "FAILED") {
      const why = result.message ?? done.message ?? "the Job failed";
      const more =
        record.kind === "FORGET" ? " The Backup's restore points were kept and stay listed; fix the cause and delete them again." : "";
      settled = await this.finish(repo, record, "FAILED", `${why}${more}`);
    } else if (record.kind === "FORGET") {
      settled = await this.applyForget(repo, record, result.pruned ?? [], result.message);
    } else {
      const logs = pod?.metadata?.name ? await client.podLogs(record.namespace, pod.metadata.name, CONTAINER).catch(() => "") : "";
      settled = await this.applyRescan(repo, record, volume, logs);
    }
    if (FINAL.has(settled.status) && volume) await this.releaseClaims(client, workspaceId, volume).catch(() => undefined);
    return settled;
  }

  private async applyRescan(
    repo: RestorePointRepository,
    record: CatalogJobRecord,
    volume: StorageVolumeRecord | undefined,
    logs: string,
  ): Promise<CatalogJobRecord> {
    const repositories = catalogDocument(logs);
    if (!volume || !repositories)
      return this.finish(
        repo,
        record,
        "FAILED",
        "The rescan finished but its list of snapshots could not be read from the Job's log; start it again.",
      );
    const apps = await new ApplicationRepository(this.deps.db, record.workspaceId).list();
    return this.deps.db.transaction(async (tx) => {
      const inTx = new RestorePointRepository(tx, record.workspaceId);
      // Claimed first: a second settler (another request, another instance) finds the row final and applies nothing.
      if (!(await this.claim(inTx, record))) return (await inTx.job(record.id))!;
      const outcome = await rebuildCatalog({
        repo: inTx,
        volume,
        repositories,
        applicationIds: new Set(apps.map((a) => a.id)),
        scannedAt: record.createdAt,
        now: new Date(),
        toShownBytes: toLabBytes(this.deps.labBytesPerGiB),
      });
      const { recoveredNames: _names, ...figures } = outcome;
      return inTx.updateJob(record.id, {
        status: "SUCCEEDED",
        message: describeRescan(volume.name, outcome),
        outcome: figures,
        finishedAt: new Date(),
      });
    });
  }

  private async applyForget(repo: RestorePointRepository, record: CatalogJobRecord, pruned: string[], message: string | null) {
    return this.deps.db.transaction(async (tx) => {
      const inTx = new RestorePointRepository(tx, record.workspaceId);
      if (!(await this.claim(inTx, record))) return (await inTx.job(record.id))!;
      const now = new Date();
      await inTx.markSnapshotsPruned(record.backupId!, pruned, now);
      return inTx.updateJob(record.id, {
        status: "SUCCEEDED",
        message: message ?? `Removed ${pruned.length} snapshot(s).`,
        outcome: { pruned: pruned.length },
        finishedAt: now,
      });
    });
  }

  /** Takes the row for this settlement: true only for the one caller (of any instance) that marks it finished first. */
  private claim(repo: RestorePointRepository, record: CatalogJobRecord): Promise<boolean> {
    return repo.claimJob(record.id);
  }

  private async finish(repo: RestorePointRepository, record: CatalogJobRecord, status: "SUCCEEDED" | "FAILED", message: string) {
    return repo.updateJob(record.id, { status, message, finishedAt: new Date() });
  }

  /** The HKS claims for the volume in namespaces without a live Backup on it go (catalog Jobs made them, or kept them). */
  async releaseClaims(client: VClusterClient, workspaceId: string, volume: StorageVolumeRecord): Promise<string[]> {
    const writers = await new BackupRepository(this.deps.db, workspaceId).usingVolume(volume.id);
    const apps = new Map((await new ApplicationRepository(this.deps.db, workspaceId).list()).map((a) => [a.id, a.namespace]));
    const keep = new Set(writers.map((b) => apps.get(b.applicationId)).filter((n): n is string => !!n));
    return releaseManagedClaims(client, volume, keep);
  }

  /**
   * Where a Job can mount the volume: the namespace of the claim it is bound to; otherwise the namespace of the
   * application whose Backups wrote to it last, or the workspace's first application.
   */
  private async mountNamespace(client: VClusterClient, workspaceId: string, volume: StorageVolumeRecord): Promise<string> {
    const pv = await client.read<V1PersistentVolume>({ ...PERSISTENT_VOLUME, metadata: { name: volume.persistentVolumeName } });
    const ref = pv?.spec?.claimRef;
    if (ref?.name && ref.namespace && pv?.status?.phase === "Bound") return ref.namespace;
    const apps = await new ApplicationRepository(this.deps.db, workspaceId).list();
    const holdings = await new RestorePointRepository(this.deps.db, workspaceId).volumeHoldings(volume.id);
    const byName = new Map(apps.map((a) => [a.name, a]));
    const preferred = holdings.map((h) => (h.applicationName ? byName.get(h.applicationName) : undefined)).find(Boolean) ?? apps[0];
    if (!preferred)
      throw conflict(
        `'${volume.name}' is mounted by no claim and the workspace has no application namespace to mount it in for the rescan.`,
      );
    return preferred.namespace;
  }
}
