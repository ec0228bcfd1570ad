import { ClusterWatches } from "../platform/kubernetes/cluster-watches.js";
import { CRON_JOB, JOB, POD } from "../platform/kubernetes/kinds/cron-job.js";
import { PERSISTENT_VOLUME } from "../platform/kubernetes/kinds/persistent-volume.js";
import { REPOSITORY_KEY_LABEL, SECRET } from "../platform/kubernetes/kinds/secret.js";
import type { VClusters } from "../platform/kubernetes/vclusters.js";
import { SERVING_PODS, TASK_PODS } from "./backups/leftover-pods.js";
import { BACKUP_ID_LABEL } from "./backups/translation.js";

const BACKUPS = `app.kubernetes.io/managed-by=hks,${BACKUP_ID_LABEL}`;

/**
 * What HKS follows in each vCluster, by watch rather than by polling: the Jobs and Pods of backup runs (the run
 * tracker), the backups' CronJobs (the reconciler) and HKS's PersistentVolumes (the claim each is bound to: the
 * monitoring cycle and the reconciler), the snapshot-task and copy-serving pods (the reconciler's leftover sweep) and
 * the repository-key Secrets (the reconciler). An idle vCluster then costs its watches alone, no list per pass.
 * `pods` keeps the backup runs' selector: the run tracker reads every pod it caches as a run's.
 */
export const WATCHED_KINDS = {
  jobs: { apiVersion: JOB.apiVersion, kind: JOB.kind, labelSelector: BACKUPS },
  pods: { apiVersion: POD.apiVersion, kind: POD.kind, labelSelector: BACKUPS },
  cronJobs: { apiVersion: CRON_JOB.apiVersion, kind: CRON_JOB.kind, labelSelector: BACKUPS },
  volumes: { apiVersion: PERSISTENT_VOLUME.apiVersion, kind: PERSISTENT_VOLUME.kind, labelSelector: "app.kubernetes.io/managed-by=hks" },
  taskPods: { apiVersion: POD.apiVersion, kind: POD.kind, labelSelector: TASK_PODS },
  servingPods: { apiVersion: POD.apiVersion, kind: POD.kind, labelSelector: SERVING_PODS },
  keySecrets: { apiVersion: SECRET.apiVersion, kind: SECRET.kind, labelSelector: REPOSITORY_KEY_LABEL },
};

export type WatchedKindName = keyof typeof WATCHED_KINDS;
export type Watches = ClusterWatches<WatchedKindName>;

export function createWatches(vclusters: VClusters, options?: ConstructorParameters<typeof ClusterWatches<WatchedKindName>>[2]): Watches {
  return new ClusterWatches(vclusters, WATCHED_KINDS, options);
}
