import { forbidden } from "../errors.js";
import { requestOf } from "../kinds/persistent-volume-claim.js";
import { Quantity, tryParseQuantity } from "../quantity.js";
import type { KubeStore } from "../store.js";
import { deepEqual, type KubeObject } from "../types.js";

const CLASS_SUFFIX = ".storageclass.storage.k8s.io/";

/** What one claim counts against each quota key it touches. */
function usageOf(pvc: KubeObject): Map<string, Quantity> {
  const usage = new Map<string, Quantity>();
  const request = tryParseQuantity(requestOf(pvc)) ?? new Quantity(0n, "BinarySI");
  const one = Quantity.fromNumber(1);
  usage.set("requests.storage", request);
  usage.set("persistentvolumeclaims", one);
  const sc = pvc.spec?.storageClassName;
  if (sc) {
    usage.set(`${sc}${CLASS_SUFFIX}requests.storage`, request);
    usage.set(`${sc}${CLASS_SUFFIX}persistentvolumeclaims`, one);
  }
  return usage;
}

function isTracked(key: string): boolean {
  return key === "requests.storage" || key === "persistentvolumeclaims" || key.includes(CLASS_SUFFIX);
}

function usedIn(store: KubeStore, namespace: string): Map<string, Quantity> {
  const total = new Map<string, Quantity>();
  for (const pvc of store.list("v1", "PersistentVolumeClaim", { namespace })) {
    for (const [key, q] of usageOf(pvc)) total.set(key, (total.get(key) ?? new Quantity(0n, q.format)).add(q));
  }
  return total;
}

function formatted(key: string, q: Quantity): string {
  return key.endsWith("persistentvolumeclaims") ? String(q.value()) : q.toString();
}

function computeStatus(store: KubeStore, quota: KubeObject): { hard: Record<string, string>; used: Record<string, string> } {
  const hard: Record<string, string> = { ...(quota.spec?.hard ?? {}) };
  const used: Record<string, string> = {};
  const totals = usedIn(store, quota.metadata.namespace ?? "");
  for (const key of Object.keys(hard)) {
    if (!isTracked(key)) continue;
    const hardQ = tryParseQuantity(hard[key]);
    used[key] = formatted(key, totals.get(key) ?? new Quantity(0n, hardQ?.format ?? "DecimalSI"));
  }
  return { hard, used };
}

function syncNamespace(store: KubeStore, namespace: string): void {
  for (const quota of store.list("v1", "ResourceQuota", { namespace })) {
    const status = computeStatus(store, quota);
    if (deepEqual(status, { hard: quota.status?.hard ?? {}, used: quota.status?.used ?? {} })) continue;
    store.modify("v1", "ResourceQuota", namespace, quota.metadata.name ?? "", (o) => (o.status = status));
  }
}

/**
 * ResourceQuota for storage: keeps status.hard/used current, and (as admission) refuses claims that would exceed a
 * quota with the apiserver's exact Forbidden message.
 */
export function startQuotaController(store: KubeStore): () => void {
  const unsubscribe = store.subscribe((event) => {
    const kind = event.def.kind;
    if (kind !== "PersistentVolumeClaim" && kind !== "ResourceQuota") return;
    const namespace = event.object.metadata.namespace;
    if (namespace) syncNamespace(store, namespace);
  });
  const removeAdmission = store.addAdmission((op, obj, old, s) => {
    if (obj.kind !== "PersistentVolumeClaim" || obj.apiVersion !== "v1") return;
    const namespace = obj.metadata.namespace ?? "";
    const quotas = s.list("v1", "ResourceQuota", { namespace });
    if (quotas.length === 0) return;
    const after = usageOf(obj);
    const before = old ? usageOf(old) : new Map<string, Quantity>();
    const delta = new Map<string, Quantity>();
    for (const [key, q] of after) {
      const d = q.sub(before.get(key) ?? new Quantity(0n, q.format));
      if (d.nanos > 0n) delta.set(key, d);
    }
    if (delta.size === 0) return;
    const used = usedIn(s, namespace);
    for (const quota of quotas.sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""))) {
      const hard: Record<string, string> = quota.spec?.hard ?? {};
      const failed = Object.keys(hard)
        .filter((key) => {
          const limit = tryParseQuantity(hard[key]);
          const d = delta.get(key);
          if (!limit || !d) return false;
          return (used.get(key) ?? new Quantity(0n)).add(d).cmp(limit) > 0;
        })
        .sort();
      if (failed.length === 0) continue;
      const list = (value: (key: string) => string) => failed.map((key) => `${key}=${value(key)}`).join(",");
      throw forbidden(
        { group: "", plural: "persistentvolumeclaims", kind: "PersistentVolumeClaim" },
        obj.metadata.name ?? "",
        `exceeded quota: ${quota.metadata.name}, requested: ${list((k) => formatted(k, delta.get(k) ?? new Quantity(0n)))}, used: ${list(
          (k) => formatted(k, used.get(k) ?? new Quantity(0n, delta.get(k)?.format)),
        )}, limited: ${list((k) => formatted(k, tryParseQuantity(hard[k]) ?? new Quantity(0n)))}`,
      );
    }
  });
  for (const ns of store.list("v1", "Namespace")) syncNamespace(store, ns.metadata.name ?? "");
  return () => {
    unsubscribe();
    removeAdmission();
  };
}
