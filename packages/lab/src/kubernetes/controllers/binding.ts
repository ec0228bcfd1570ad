import { requestOf } from "../kinds/persistent-volume-claim.js";
import { tryParseQuantity } from "../quantity.js";
import { matchesLabelSelectorObject } from "../selectors.js";
import type { KubeStore, StoreEvent } from "../store.js";
import type { KubeObject } from "../types.js";

const WATCHED = new Set(["PersistentVolume", "PersistentVolumeClaim", "StorageClass"]);

/**
 * The lab's PersistentVolume controller: static binding of claims to pre-provisioned volumes, Available/Released
 * phases, and finishing expansions. It runs synchronously after each relevant write (see KubeStore), so a client that
 * creates a PV and then a PVC sees the claim Bound on its next read.
 */
export function startBindingController(store: KubeStore): () => void {
  let running = false;
  const reconcile = () => {
    // Our own writes trigger events too; one pass handles everything, so ignore re-entry.
    if (running) return;
    running = true;
    try {
      syncVolumes(store);
      bindClaims(store);
      finishExpansions(store);
    } finally {
      running = false;
    }
  };
  const unsubscribe = store.subscribe((event: StoreEvent) => {
    if (WATCHED.has(event.def.kind) && event.def.group !== "batch") reconcile();
  });
  reconcile();
  return unsubscribe;
}

function claimKey(ref: { namespace?: string; name?: string }): string {
  return `${ref.namespace ?? ""}/${ref.name ?? ""}`;
}

function syncVolumes(store: KubeStore): void {
  const claims = new Map(store.list("v1", "PersistentVolumeClaim").map((c) => [claimKey(c.metadata), c]));
  for (const pv of store.list("v1", "PersistentVolume")) {
    const ref = pv.spec?.claimRef as { namespace?: string; name?: string; uid?: string } | undefined;
    const phase = pv.status?.phase;
    let want = phase;
    if (!ref) want = phase === "Failed" ? phase : "Available";
    else {
      const claim = claims.get(claimKey(ref));
      if (!ref.uid)
        want = "Available"; // pre-bound to a claim name, waiting for that claim
      else if (claim && claim.metadata.uid === ref.uid)
        // A freshly provisioned volume names its claim (with uid) from the start; it is Available to that claim only.
        want = claim.spec?.volumeName === pv.metadata.name ? "Bound" : phase === "Pending" ? "Available" : phase;
      else {
        // The claim is gone: Retain keeps the data (Released); Delete removes the volume.
        if (pv.spec?.persistentVolumeReclaimPolicy === "Delete") {
          store.delete("v1", "PersistentVolume", undefined, pv.metadata.name ?? "");
          continue;
        }
        want = "Released";
      }
    }
    if (want !== phase)
      store.modify("v1", "PersistentVolume", undefined, pv.metadata.name ?? "", (o) => (o.status = { ...o.status, phase: want }));
  }
}

function accessModesFit(pv: KubeObject, pvc: KubeObject): boolean {
  const offered: unknown[] = Array.isArray(pv.spec?.accessModes) ? pv.spec.accessModes : [];
  const wanted: unknown[] = Array.isArray(pvc.spec?.accessModes) ? pvc.spec.accessModes : [];
  return wanted.every((m) => offered.includes(m));
}

function volumeFits(pv: KubeObject, pvc: KubeObject): boolean {
  const capacity = tryParseQuantity(pv.spec?.capacity?.storage);
  const request = tryParseQuantity(requestOf(pvc));
  if (!capacity || !request || capacity.cmp(request) < 0) return false;
  if ((pv.spec?.storageClassName ?? "") !== (pvc.spec?.storageClassName ?? "")) return false;
  if ((pv.spec?.volumeMode ?? "Filesystem") !== (pvc.spec?.volumeMode ?? "Filesystem")) return false;
  if (!accessModesFit(pv, pvc)) return false;
  return matchesLabelSelectorObject(pv.metadata.labels, pvc.spec?.selector);
}

function bindClaims(store: KubeStore): void {
  for (const pvc of store.list("v1", "PersistentVolumeClaim")) {
    if (pvc.status?.phase === "Bound") continue;
    const volumes = store.list("v1", "PersistentVolume");
    const mine = (pv: KubeObject) => {
      const ref = pv.spec?.claimRef;
      return (
        ref && ref.namespace === pvc.metadata.namespace && ref.name === pvc.metadata.name && (!ref.uid || ref.uid === pvc.metadata.uid)
      );
    };
    const free = (pv: KubeObject) => !pv.spec?.claimRef || mine(pv);
    let chosen: KubeObject | undefined;
    const wantedName = pvc.spec?.volumeName as string | undefined;
    if (wantedName) {
      const pv = volumes.find((v) => v.metadata.name === wantedName);
      if (pv && free(pv) && pv.status?.phase !== "Released" && volumeFits(pv, pvc)) chosen = pv;
    } else {
      const candidates = volumes.filter((pv) => free(pv) && pv.status?.phase === "Available" && volumeFits(pv, pvc));
      // A volume pre-bound to this claim wins; otherwise the smallest that fits, like the real controller.
      candidates.sort((a, b) => {
        if (mine(a) !== mine(b)) return mine(a) ? -1 : 1;
        const ca = tryParseQuantity(a.spec?.capacity?.storage);
        const cb = tryParseQuantity(b.spec?.capacity?.storage);
        return ca && cb ? ca.cmp(cb) : 0;
      });
      chosen = candidates[0];
    }
    if (chosen) bind(store, chosen, pvc);
  }
}

function bind(store: KubeStore, pv: KubeObject, pvc: KubeObject): void {
  const name = pv.metadata.name ?? "";
  const boundPv = store.modify("v1", "PersistentVolume", undefined, name, (o) => {
    o.spec.claimRef = {
      kind: "PersistentVolumeClaim",
      namespace: pvc.metadata.namespace,
      name: pvc.metadata.name,
      uid: pvc.metadata.uid,
      apiVersion: "v1",
      resourceVersion: pvc.metadata.resourceVersion,
    };
    o.status = { ...o.status, phase: "Bound" };
    o.metadata.annotations = { ...o.metadata.annotations, "pv.kubernetes.io/bound-by-controller": "yes" };
  });
  store.modify("v1", "PersistentVolumeClaim", pvc.metadata.namespace, pvc.metadata.name ?? "", (o) => {
    const byController = !o.spec.volumeName;
    o.spec.volumeName = name;
    o.metadata.annotations = {
      ...o.metadata.annotations,
      "pv.kubernetes.io/bind-completed": "yes",
      ...(byController ? { "pv.kubernetes.io/bound-by-controller": "yes" } : {}),
    };
    o.status = { ...o.status, phase: "Bound", accessModes: boundPv.spec?.accessModes, capacity: { ...boundPv.spec?.capacity } };
  });
}

function finishExpansions(store: KubeStore): void {
  for (const pvc of store.list("v1", "PersistentVolumeClaim")) {
    if (pvc.status?.phase !== "Bound" || !pvc.spec?.volumeName) continue;
    const request = tryParseQuantity(requestOf(pvc));
    const current = tryParseQuantity(pvc.status?.capacity?.storage);
    if (!request || (current && current.cmp(request) >= 0)) continue;
    const pv = store.get("v1", "PersistentVolume", undefined, pvc.spec.volumeName);
    const capacity = tryParseQuantity(pv?.spec?.capacity?.storage);
    // The lab has no resizer: the volume itself must already be big enough (the product grows the disk and the PV).
    if (!pv || !capacity || capacity.cmp(request) < 0) continue;
    store.modify("v1", "PersistentVolumeClaim", pvc.metadata.namespace, pvc.metadata.name ?? "", (o) => {
      o.status = { ...o.status, capacity: { ...o.status?.capacity, storage: pv.spec.capacity.storage } };
    });
  }
}
