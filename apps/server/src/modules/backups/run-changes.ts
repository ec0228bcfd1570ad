import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { JOB, POD } from "../../platform/kubernetes/kinds/cron-job.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { Watches } from "../cluster-watches.js";
import { BACKUP_ID_LABEL } from "./translation.js";

/** The Job a run's Pod belongs to, by the labels the Job controller sets. */
export function jobNameOf(labels: Record<string, string> | undefined): string | undefined {
  return labels?.["batch.kubernetes.io/job-name"] ?? labels?.["job-name"];
}

/**
 * Which backup Jobs changed, per vCluster, as the watches tell it: a Job's own change or one of its Pods'. Changes
 * that come close together (a Pod ending, then its Job completing) are handed over as one batch after `settleMs`,
 * so the run tracker looks at each changed Job once.
 */
export function followRunChanges(
  watches: Watches,
  onChanged: (vcluster: string, jobNames: Set<string>) => void,
  settleMs = 20,
): () => void {
  const pending = new Map<string, Set<string>>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    const batch = [...pending];
    pending.clear();
    for (const [vcluster, names] of batch) onChanged(vcluster, names);
  };
  const stop = watches.onChange((vcluster, kind, _type, object) => {
    const name = kind === "jobs" ? object.metadata?.name : kind === "pods" ? jobNameOf(object.metadata?.labels) : undefined;
    if (!name) return;
    let names = pending.get(vcluster);
    if (!names) pending.set(vcluster, (names = new Set()));
    names.add(name);
    timer ??= setTimeout(flush, settleMs);
  });
  return () => {
    stop();
    clearTimeout(timer);
    pending.clear();
  };
}

/** A vCluster's backup Jobs and Pods: from its watch's cache (started if need be), or listed without watches. */
export async function backupJobsAndPods(
  vcluster: string,
  client: VClusterClient,
  watches: Watches | undefined,
): Promise<{ jobs: V1Job[]; pods: V1Pod[] }> {
  const watch = watches?.start(vcluster);
  if (watch) {
    await watch.synced();
    return { jobs: watch.list<V1Job>("jobs"), pods: watch.list<V1Pod>("pods") };
  }
  const selector = `app.kubernetes.io/managed-by=hks,${BACKUP_ID_LABEL}`;
  const [jobs, pods] = await Promise.all([
    client.list<V1Job>(JOB.apiVersion, JOB.kind, undefined, selector),
    client.list<V1Pod>(POD.apiVersion, POD.kind, undefined, selector),
  ]);
  return { jobs, pods };
}

/** Work that takes turns per key (a workspace): each task starts once the key's previous one has ended. */
export class Turns {
  private readonly tails = new Map<string, Promise<void>>();

  run(key: string, task: () => Promise<void>): Promise<void> {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(task).finally(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
    this.tails.set(key, next);
    return next;
  }

  async idle(): Promise<void> {
    await Promise.all(this.tails.values());
  }
}
