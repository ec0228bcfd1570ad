import os from "node:os";
import type { Database } from "./db/client.js";
import type { AppPubSub as PubSub } from "./modules/topics.js";
import type { Logger } from "./logger.js";
import { AuthService } from "./modules/auth/auth.service.js";
import { TokenService, type TokenConfig } from "./modules/auth/tokens.js";
import { UserRepository } from "./modules/auth/user.repository.js";
import { PlatformService } from "./modules/platform-info/platform.service.js";
import { QuotaService } from "./modules/quotas/quota.service.js";
import { VolumeOperationJournal } from "./modules/volumes/volume.repository.js";
import { VolumeSagaRunner } from "./modules/volumes/volume-saga.js";
import { VolumeService } from "./modules/volumes/volume.service.js";
import { WorkspaceRepository } from "./modules/workspaces/workspace.repository.js";
import { WorkspaceService } from "./modules/workspaces/workspace.service.js";
import type { VClusters } from "./platform/kubernetes/vclusters.js";
import type { ProxmoxClient } from "./platform/proxmox/client.js";
import { ApplicationService } from "./modules/applications/application.service.js";
import { RepositoryKeyService } from "./modules/repository-keys/repository-key.service.js";
import { BackupReconciler } from "./modules/backups/backup-reconciler.js";
import { BackupService } from "./modules/backups/backup.service.js";
import { CatalogJobs } from "./modules/backups/catalog-jobs.js";
import { RestorePointService } from "./modules/backups/restore-point.service.js";
import { SnapshotBrowseService } from "./modules/backups/snapshot-browse.js";
import { SnapshotDownloadRoute } from "./modules/backups/snapshot-download.js";
import { SpaceEstimateService } from "./modules/backups/space-estimate.service.js";
import { BackupRunTracker } from "./modules/backups/run-tracker.js";
import { OffNodeCopier } from "./modules/backups/off-node-copy.js";
import type { TranslationOptions } from "./modules/backups/translation.js";
import { AssistantService } from "./modules/assistant/assistant.service.js";
import { OrchestrationAgent } from "./modules/assistant/orchestration-agent.js";
import { UserChatAgent } from "./modules/assistant/user-chat-agent.js";
import { CapacityAlertRepository } from "./modules/monitoring/capacity-alert.repository.js";
import { MonitoringService } from "./modules/monitoring/monitoring.service.js";
import { StorageWorkerAgent } from "./modules/monitoring/storage-worker-agent.js";
import type { MetricsSource } from "./platform/prometheus/client.js";
import { ServerMetrics } from "./observability/metrics.js";
import { createWatches } from "./modules/cluster-watches.js";
import type { WorkspaceShare } from "./modules/workspaces/workspace-share.js";

export interface ServiceDeps {
  db: Database;
  pubsub: PubSub;
  logger: Logger;
  proxmox: ProxmoxClient;
  vclusters: VClusters;
  tokens: TokenConfig;
  /** HKS_KEY_ENCRYPTION_KEY: wraps the workspaces' repository keys. */
  keyEncryptionKey: Buffer;
  csiDriver: string;
  translation: TranslationOptions;
  /** Where PVC usage comes from; monitoring is off without it. */
  metrics?: MetricsSource;
  /** This instance's name in leases (several instances share one database). */
  instanceId?: string;
  /** How long a volume operation stays an instance's without renewal before another may resume it. */
  sagaLeaseMs?: number;
  /** Set when the platform is the lab: its scale, so every size the API returns is in lab units (see Query.platform). */
  lab?: { bytesPerGiB: number };
  /** The server's own Prometheus metrics (served at /metrics); a fresh registry when not given. */
  serverMetrics?: ServerMetrics;
  /** With several replicas (sharding.ts): the workspaces whose background work this one runs. Without: all of them. */
  share?: WorkspaceShare;
}

/** Unique among live instances: a pod's hostname is its name; a process id tells apart instances on one machine. */
export const defaultInstanceId = (): string => `${os.hostname()}-${process.pid}`;

export type Services = ReturnType<typeof createServices>;

/** The composition root: each service built once, with what it depends on, and nothing global. */
export function createServices(deps: ServiceDeps) {
  const serverMetrics = deps.serverMetrics ?? new ServerMetrics();
  // The background work follows each vCluster's Jobs, Pods, CronJobs and PVs by watch: started per vCluster on first
  // use by one instance alone; with several replicas, by the one holding the workspace's lease (workers.ts) and only it.
  const watches = createWatches(deps.vclusters, {
    onDemand: !deps.share,
    onError: (vcluster, kind, error, attempt) =>
      deps.logger.warn("a vCluster watch failed; retrying", { vcluster, kind, attempt, error: String(error) }),
  });
  const workspaceRepository = new WorkspaceRepository(deps.db);
  const workspaces = new WorkspaceService(workspaceRepository);
  const sagas = new VolumeSagaRunner({
    db: deps.db,
    journal: new VolumeOperationJournal(deps.db),
    workspaces: workspaceRepository,
    proxmox: deps.proxmox,
    vclusters: deps.vclusters,
    pubsub: deps.pubsub,
    logger: deps.logger,
    csiDriver: deps.csiDriver,
    instanceId: deps.instanceId ?? defaultInstanceId(),
    leaseMs: deps.sagaLeaseMs ?? 30_000,
    recordOutcome: serverMetrics.recordSagaOutcome,
  });
  const repositoryKeys = new RepositoryKeyService({
    db: deps.db,
    vclusters: deps.vclusters,
    workspaces,
    keyEncryptionKey: deps.keyEncryptionKey,
  });
  const reconciler = new BackupReconciler({
    db: deps.db,
    keys: repositoryKeys,
    vclusters: deps.vclusters,
    workspaces: workspaceRepository,
    translation: deps.translation,
    logger: deps.logger,
    observeCycle: serverMetrics.cycleObserver("backup_reconciler"),
    watches,
    share: deps.share,
  });
  const runTracker = new BackupRunTracker({
    db: deps.db,
    vclusters: deps.vclusters,
    workspaces: workspaceRepository,
    pubsub: deps.pubsub,
    logger: deps.logger,
    missedAfterSeconds: deps.translation.startingDeadlineSeconds + 60,
    labBytesPerGiB: deps.lab?.bytesPerGiB,
    observeCycle: serverMetrics.cycleObserver("backup_run_tracker"),
    copier: new OffNodeCopier({ db: deps.db, pubsub: deps.pubsub, logger: deps.logger, translation: deps.translation }),
    watches,
    share: deps.share,
  });
  const catalog = new CatalogJobs({
    db: deps.db,
    vclusters: deps.vclusters,
    workspaces,
    translation: deps.translation,
    reconciler,
    logger: deps.logger,
    labBytesPerGiB: deps.lab?.bytesPerGiB,
  });
  const volumes = new VolumeService({
    db: deps.db,
    workspaces,
    proxmox: deps.proxmox,
    vclusters: deps.vclusters,
    sagas,
    pubsub: deps.pubsub,
    catalog,
  });
  const backups = new BackupService({
    db: deps.db,
    workspaces,
    vclusters: deps.vclusters,
    reconciler,
    pubsub: deps.pubsub,
    translation: deps.translation,
    catalog,
    labBytesPerGiB: deps.lab?.bytesPerGiB,
  });
  const alerts = new CapacityAlertRepository(deps.db);
  const publishAlert = (workspaceId: string, volumeId: string) =>
    void alerts.forWorkspace(workspaceId, true).then((list) => {
      const alert = list.find((a) => a.volumeId === volumeId);
      if (alert) deps.pubsub.publish("CAPACITY_ALERT_RAISED", workspaceId, alert);
    });
  const snapshots = new SnapshotBrowseService({
    db: deps.db,
    workspaces,
    vclusters: deps.vclusters,
    reconciler,
    pubsub: deps.pubsub,
    translation: deps.translation,
    logger: deps.logger,
  });
  return {
    monitoring: new MonitoringService(deps.db),
    storageWorker: deps.metrics
      ? new StorageWorkerAgent({
          db: deps.db,
          vclusters: deps.vclusters,
          workspaces: workspaceRepository,
          metrics: deps.metrics,
          logger: deps.logger,
          onAlertChanged: publishAlert,
          observeCycle: serverMetrics.cycleObserver("storage_worker"),
          watches,
          share: deps.share,
        })
      : undefined,
    orchestration: new OrchestrationAgent({
      db: deps.db,
      workspaces: workspaceRepository,
      proxmox: deps.proxmox,
      vclusters: deps.vclusters,
      logger: deps.logger,
      observeCycle: serverMetrics.cycleObserver("orchestration"),
      share: deps.share,
    }),
    userChat: new UserChatAgent({
      db: deps.db,
      pubsub: deps.pubsub,
      logger: deps.logger,
      observeCycle: serverMetrics.cycleObserver("user_chat"),
      share: deps.share,
    }),
    assistant: new AssistantService({ db: deps.db, workspaces, volumes, pubsub: deps.pubsub, backups }),
    reconciler,
    runTracker,
    watches,
    repositoryKeys,
    applications: new ApplicationService(deps.db, workspaceRepository, deps.vclusters),
    backups,
    restorePoints: new RestorePointService({ db: deps.db, workspaces, catalog }),
    snapshots,
    snapshotDownloads: new SnapshotDownloadRoute({ db: deps.db, logger: deps.logger, translation: deps.translation, browse: snapshots }),
    spaceEstimates: new SpaceEstimateService({ db: deps.db, workspaces, vclusters: deps.vclusters, metrics: deps.metrics }),
    auth: new AuthService(new UserRepository(deps.db), new TokenService(deps.tokens)),
    workspaces,
    sagas,
    volumes,
    quotas: new QuotaService(workspaces, deps.vclusters),
    serverMetrics,
    platform: new PlatformService(deps.lab),
  };
}
