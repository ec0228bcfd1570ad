import type { KubeStore } from "../store.js";
import { isRecord, type KubeObject } from "../types.js";
import { recordEvent } from "./events.js";
import { setCondition } from "./pod-status.js";

const SCHEDULER = { component: "default-scheduler" };

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

interface Term {
  matchExpressions?: Requirement[];
  matchFields?: Requirement[];
}

function requirementMatches(req: Requirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && values.includes(value);
    case "NotIn":
      return value === undefined || !values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
    case "Gt":
      return value !== undefined && Number(value) > Number(values[0]);
    case "Lt":
      return value !== undefined && Number(value) < Number(values[0]);
  }
  return false;
}

/** A v1 NodeSelector (ORed terms of ANDed requirements) against a node. */
export function nodeSelectorMatches(selector: unknown, node: KubeObject): boolean {
  if (!isRecord(selector) || !Array.isArray(selector.nodeSelectorTerms)) return true;
  const labels = node.metadata.labels ?? {};
  return (selector.nodeSelectorTerms as Term[]).some((term) => {
    const exprs = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (exprs.length === 0 && fields.length === 0) return false; // an empty term matches nothing
    return (
      exprs.every((r) => requirementMatches(r, Object.prototype.hasOwnProperty.call(labels, r.key) ? labels[r.key] : undefined)) &&
      fields.every((r) => requirementMatches(r, r.key === "metadata.name" ? node.metadata.name : undefined))
    );
  });
}

export type ScheduleResult = { node: string } | { message: string };

const PREEMPTION = (n: number) => `preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;

/**
 * The lab's default-scheduler: claims must exist and be bound; nodes must match the pod's nodeSelector and required
 * node affinity and every mounted volume's node affinity. Messages follow the real scheduler's shape.
 */
export function schedulePod(store: KubeStore, pod: KubeObject): ScheduleResult {
  const nodes = store.list("v1", "Node");
  const n = nodes.length;
  const namespace = pod.metadata.namespace;
  const volumes: KubeObject[] = [];
  const prefilter = (why: string) => ({ message: `0/${n} nodes are available: ${why}. ${PREEMPTION(n)}` });
  for (const vol of Array.isArray(pod.spec?.volumes) ? pod.spec.volumes : []) {
    const claimName = vol?.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const pvc = store.get("v1", "PersistentVolumeClaim", namespace, String(claimName));
    if (!pvc) return prefilter(`persistentvolumeclaim "${claimName}" not found`);
    if (pvc.status?.phase !== "Bound" || !pvc.spec?.volumeName) return prefilter("pod has unbound immediate PersistentVolumeClaims");
    const pv = store.get("v1", "PersistentVolume", undefined, String(pvc.spec.volumeName));
    if (!pv) return prefilter(`persistentvolume "${pvc.spec.volumeName}" not found`);
    volumes.push(pv);
  }
  if (n === 0) return { message: "no nodes available to schedule pods" };
  const wantedNode = pod.spec?.nodeName as string | undefined;
  if (wantedNode)
    return nodes.some((node) => node.metadata.name === wantedNode) ? { node: wantedNode } : { message: `node "${wantedNode}" not found` };
  const reasons = new Map<string, number>();
  const fitting: KubeObject[] = [];
  const selector: Record<string, string> = isRecord(pod.spec?.nodeSelector) ? pod.spec.nodeSelector : {};
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  for (const node of nodes) {
    let reason: string | undefined;
    const labels = node.metadata.labels ?? {};
    if (node.spec?.unschedulable === true) reason = "node(s) were unschedulable";
    else if (!Object.entries(selector).every(([k, v]) => labels[k] === v) || !nodeSelectorMatches(required, node))
      reason = "node(s) didn't match Pod's node affinity/selector";
    else if (!volumes.every((pv) => nodeSelectorMatches(pv.spec?.nodeAffinity?.required, node)))
      reason = "node(s) had volume node affinity conflict";
    if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    else fitting.push(node);
  }
  if (fitting.length === 0) {
    const parts = [...reasons].map(([reason, count]) => `${count} ${reason}`).sort();
    return { message: `0/${n} nodes are available: ${parts.join(", ")}. ${PREEMPTION(n)}` };
  }
  // Spread: the fitting node with the fewest pods.
  const load = new Map<string, number>();
  for (const p of store.list("v1", "Pod")) if (p.spec?.nodeName) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1);
  fitting.sort((a, b) => (load.get(a.metadata.name ?? "") ?? 0) - (load.get(b.metadata.name ?? "") ?? 0));
  return { node: fitting[0]?.metadata.name ?? "" };
}

/**
 * The scheduler's part for one pod: binds it to a fitting node (once), or leaves it Pending with an Unschedulable
 * condition and one FailedScheduling event per distinct message (`messages`, by pod uid). Resolves with the bound pod.
 */
export function bindToNode(store: KubeStore, pod: KubeObject, messages: Map<string, string>): KubeObject | undefined {
  const uid = pod.metadata.uid ?? "";
  const namespace = pod.metadata.namespace ?? "";
  const name = pod.metadata.name ?? "";
  const write = (mutate: (o: KubeObject) => void) => {
    try {
      return store.modify("v1", "Pod", namespace, name, mutate);
    } catch {
      return undefined; // deleted meanwhile
    }
  };
  const scheduledAlready =
    pod.spec?.nodeName && (pod.status?.conditions ?? []).some((c: any) => c.type === "PodScheduled" && c.status === "True");
  if (scheduledAlready) return pod;
  const result = schedulePod(store, pod);
  if ("message" in result) {
    write((o) => {
      o.status = {
        ...o.status,
        phase: "Pending",
        conditions: setCondition(o.status?.conditions, store.now(), "PodScheduled", "False", "Unschedulable", result.message),
      };
    });
    if (messages.get(uid) !== result.message) {
      messages.set(uid, result.message);
      recordEvent(store, pod, "Warning", "FailedScheduling", result.message, SCHEDULER);
    }
    return undefined;
  }
  messages.delete(uid);
  const scheduled = write((o) => {
    o.spec.nodeName = result.node;
    o.status = { ...o.status, phase: "Pending", conditions: setCondition(o.status?.conditions, store.now(), "PodScheduled", "True") };
  });
  if (scheduled)
    recordEvent(store, scheduled, "Normal", "Scheduled", `Successfully assigned ${namespace}/${name} to ${result.node}`, SCHEDULER);
  return scheduled;
}
