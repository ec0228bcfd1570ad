import { randomBytes } from "node:crypto";
import type { KubeStore } from "../store.js";
import type { KubeObject } from "../types.js";

export interface EventSource {
  /** e.g. "cronjob-controller", "job-controller", "default-scheduler", "kubelet". */
  component: string;
  host?: string;
}

/**
 * Records a core/v1 Event about `obj` the way client-go's recorder does: a repeat of the same reason and message
 * bumps `count` and `lastTimestamp` on the existing event instead of adding another.
 */
export function recordEvent(
  store: KubeStore,
  obj: KubeObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
  source: EventSource,
): void {
  const namespace = obj.metadata.namespace ?? "default";
  const name = obj.metadata.name ?? "";
  const now = store.now();
  try {
    const same = store
      .list("v1", "Event", { namespace, fieldSelector: `involvedObject.name=${name},reason=${reason}` })
      .find((e) => e.message === message && (e.involvedObject as { uid?: string } | undefined)?.uid === obj.metadata.uid);
    if (same) {
      store.modify("v1", "Event", namespace, same.metadata.name ?? "", (e) => {
        e.count = Number(e.count ?? 1) + 1;
        e.lastTimestamp = now;
      });
      return;
    }
    store.create({
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${name}.${randomBytes(8).toString("hex")}`, namespace },
      involvedObject: {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? "",
    });
  } catch {
    // Events are best effort, as in Kubernetes (e.g. the namespace is being deleted).
  }
}

/** The controller owner reference of `obj`, if any. */
export function controllerOf(obj: KubeObject): { apiVersion?: string; kind?: string; name?: string; uid?: string } | undefined {
  const refs = Array.isArray(obj.metadata.ownerReferences) ? obj.metadata.ownerReferences : [];
  return refs.find(
    (r): r is { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean } =>
      typeof r === "object" && r !== null && (r as { controller?: boolean }).controller === true,
  );
}

export function ownerRef(owner: KubeObject): Record<string, unknown> {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Deletes an object if it still exists; returns whether it did. */
export function deleteIfExists(store: KubeStore, apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean {
  if (!store.get(apiVersion, kind, namespace, name)) return false;
  store.delete(apiVersion, kind, namespace, name);
  return true;
}

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
