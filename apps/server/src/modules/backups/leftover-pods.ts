import type { V1Pod } from "@kubernetes/client-node";
import { and, eq, gt, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { backupRuns, replicas } from "../../db/schema/index.js";
import { POD } from "../../platform/kubernetes/kinds/cron-job.js";
import { NETWORK_POLICY } from "../../platform/kubernetes/kinds/network-policy.js";
import { SECRET } from "../../platform/kubernetes/kinds/secret.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import { COPY_NAME_LABEL, COPY_ROLE_LABEL } from "./off-node-copy-manifests.js";
import { isReadHere, SNAPSHOT_TASK_LABEL, STARTED_BY_ANNOTATION, THIS_PROCESS } from "./snapshot-task.js";
import { toDate } from "./run-observation.js";

/** The pods a sweep looks at: snapshot listings and downloads, and the pods serving a repository to a copy. */
export const TASK_PODS = `app.kubernetes.io/managed-by=hks,${SNAPSHOT_TASK_LABEL}`;
export const SERVING_PODS = `app.kubernetes.io/managed-by=hks,${COPY_ROLE_LABEL}=serve`;

/** A pod this young may still be between its creation and the record of its use (a COPYING run, a reader). */
const GRACE_MS = 2 * 60_000;
/** A listing no reader took over within this long is abandoned by the index too (snapshot-index.ts STALE_MS). */
const LISTING_USE_MS = 10 * 60_000;
/** How recent a replica's heartbeat must be for its task pods to count as read. */
const ALIVE_MS = 2 * 60_000;

/**
 * HKS's short-lived pods that a server crash leaves behind: a snapshot listing or download whose reader (a server
 * process) is gone, a pod serving a repository for a copy no run is following. Without this they would hold their
 * volume, and serve the repository, until their deadline (up to 6 h); the reconcile pass deletes them instead.
 */
export class LeftoverPods {
  constructor(private readonly deps: { db: Database; workspaceId: string; now?: () => Date }) {}

  /**
   * Deletes the workspace's leftover pods (with a serving pod's Secret and NetworkPolicy); returns their names. The
   * pods come from the vCluster's watch caches when the caller has them (an idle vCluster is then sent nothing), else
   * from two lists. A cache that lags only delays a deletion to the next sweep: a pod is old before it is deleted, and
   * one already being deleted is left alone.
   */
  async sweep(client: VClusterClient, cached?: { tasks: V1Pod[]; serving: V1Pod[] }): Promise<string[]> {
    const [tasks, serving] = cached
      ? [cached.tasks, cached.serving]
      : await Promise.all([
          client.listPlain<V1Pod>(POD.apiVersion, POD.kind, undefined, TASK_PODS),
          client.listPlain<V1Pod>(POD.apiVersion, POD.kind, undefined, SERVING_PODS),
        ]);
    const now = (this.deps.now?.() ?? new Date()).getTime();
    const age = (pod: V1Pod) => now - (toDate(pod.metadata?.creationTimestamp)?.getTime() ?? now);
    const old = (pod: V1Pod) => age(pod) > GRACE_MS && !pod.metadata?.deletionTimestamp;
    const alive = await this.aliveProcesses(tasks.map((p) => p.metadata?.annotations?.[STARTED_BY_ANNOTATION]));
    const unread = (pod: V1Pod) => {
      const by = pod.metadata?.annotations?.[STARTED_BY_ANNOTATION];
      if (by === THIS_PROCESS) return !isReadHere(pod.metadata!.name!);
      return !by || !alive.has(by) || (pod.metadata?.labels?.[SNAPSHOT_TASK_LABEL] === "index" && age(pod) > LISTING_USE_MS);
    };
    const copying = await this.copiesInProgress();
    const gone: string[] = [];
    for (const pod of tasks.filter((p) => old(p) && unread(p))) gone.push(await this.remove(client, pod));
    for (const pod of serving.filter((p) => old(p) && !copying.has(copyNameOf(p)))) {
      const copy = copyNameOf(pod);
      const namespace = pod.metadata!.namespace!;
      await client.delete({ ...NETWORK_POLICY, metadata: { name: pod.metadata!.name!, namespace } });
      await client.delete({ ...SECRET, metadata: { name: copy, namespace } });
      gone.push(await this.remove(client, pod));
    }
    return gone;
  }

  private async remove(client: VClusterClient, pod: V1Pod): Promise<string> {
    const { name, namespace } = pod.metadata as { name: string; namespace: string };
    await client.delete({ ...POD, metadata: { name, namespace } });
    return `${namespace}/${name}`;
  }

  /** The copies a run follows: their serving pods are in use. */
  private async copiesInProgress(): Promise<Set<string>> {
    const rows = await this.deps.db
      .select({ name: backupRuns.copyJobName })
      .from(backupRuns)
      .where(and(eq(backupRuns.workspaceId, this.deps.workspaceId), eq(backupRuns.copyStatus, "COPYING")));
    return new Set(rows.map((r) => r.name ?? ""));
  }

  /** Which of these server processes still beat their heart (replicas.ts); this process always does. */
  private async aliveProcesses(names: Array<string | undefined>): Promise<Set<string>> {
    const asked = [...new Set(names.filter((n): n is string => !!n && n !== THIS_PROCESS))];
    const rows = asked.length
      ? await this.deps.db
          .select({ id: replicas.instanceId })
          .from(replicas)
          .where(and(inArray(replicas.instanceId, asked), gt(replicas.heartbeatAt, new Date(Date.now() - ALIVE_MS))))
      : [];
    return new Set([THIS_PROCESS, ...rows.map((r) => r.id)]);
  }
}

/** The copy a serving pod belongs to: its label, or its name without the "-s" servePodName adds. */
function copyNameOf(pod: V1Pod): string {
  return pod.metadata?.labels?.[COPY_NAME_LABEL] ?? pod.metadata!.name!.replace(/-s$/, "");
}
