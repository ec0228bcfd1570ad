import { ClusterWatches } from "../platform/kubernetes/cluster-watches.js";
import { CRON_JOB, JOB, POD } from "../platform/kubernetes/kinds/cron-job.js";
import { PERSISTENT_VOLUME } from "../platform/kubernetes/kinds/persistent-volume.js";
import type { VClusters } from "../platform/kubernetes/vclusters.js";
import { BACKUP_ID_LABEL } from "./backups/translation.js";

const BACKUPS = `app.kubernetes.io/managed-by=hks,${BACKUP_ID_LABEL}`;

/**
 * What HKS follows in each vCluster, by watch rather than by polling: the Jobs and Pods of backup runs (the run
 * tracker), the backups' CronJobs (the reconciler) and HKS's PersistentVolumes (the claim each is bound to: the
 * monitoring cycle and the reconciler).
 */
export const WATCHED_KINDS = {
  jobs: { apiVersion: JOB.apiVersion, kind: JOB.kind, labelSelector: BACKUPS },
  pods: { apiVersion: POD.apiVersion, kind: POD.kind, labelSelector: BACKUPS },
  cronJobs: { apiVersion: CRON_JOB.apiVersion, kind: CRON_JOB.kind, labelSelector: BACKUPS },
  volumes: { apiVersion: PERSISTENT_VOLUME.apiVersion, kind: PERSISTENT_VOLUME.kind, labelSelector: "app.kubernetes.io/managed-by=hks" },
};

export type WatchedKindName = keyof typeof WATCHED_KINDS;
export type Watches = ClusterWatches<WatchedKindName>;

export function createWatches(vclusters: VClusters, options?: ConstructorParameters<typeof ClusterWatches<WatchedKindName>>[2]): Watches {
  return new ClusterWatches(vclusters, WATCHED_KINDS, options);
}
