import { requestOf } from "../kinds/persistent-volume-claim.js";
import { tryParseQuantity } from "../quantity.js";
import type { KubeStore, StoreEvent } from "../store.js";
import type { KubeObject } from "../types.js";
import { recordEvent } from "./events.js";

export const LAB_PROVISIONER = "lab.hks.io/local-path";
export const STANDARD_CLASS = "standard";

/** The StorageClass seeded in every lab cluster (the default class). */
export function standardStorageClass(): KubeObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: STANDARD_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
    provisioner: LAB_PROVISIONER,
    reclaimPolicy: "Delete",
    volumeBindingMode: "Immediate",
    allowVolumeExpansion: true,
  };
}

/**
 * Dynamic provisioning for classes whose provisioner is `lab.hks.io/local-path`: a claim gets a PV `pvc-<claim uid>`
 * (a hostPath on the lab's volume folder) that the binding controller then binds; growing the claim grows the PV.
 */
export function startProvisioner(store: KubeStore, folderOf: (pv: string) => string): () => void {
  const classOf = (pvc: KubeObject) => {
    const name = pvc.spec?.storageClassName;
    const sc = name ? store.get("storage.k8s.io/v1", "StorageClass", undefined, String(name)) : undefined;
    return sc?.provisioner === LAB_PROVISIONER ? sc : undefined;
  };
  const reconcile = (pvc: KubeObject) => {
    const sc = classOf(pvc);
    if (!sc) return;
    const name = `pvc-${pvc.metadata.uid}`;
    const pv = store.get("v1", "PersistentVolume", undefined, name);
    if (pvc.status?.phase !== "Bound" && !pvc.spec?.volumeName && !pv) {
      const request = requestOf(pvc) ?? "0";
      store.modify("v1", "PersistentVolumeClaim", pvc.metadata.namespace, pvc.metadata.name ?? "", (o) => {
        o.metadata.annotations = {
          ...o.metadata.annotations,
          "volume.beta.kubernetes.io/storage-provisioner": LAB_PROVISIONER,
          "volume.kubernetes.io/storage-provisioner": LAB_PROVISIONER,
        };
      });
      store.create(
        {
          apiVersion: "v1",
          kind: "PersistentVolume",
          metadata: { name, annotations: { "pv.kubernetes.io/provisioned-by": LAB_PROVISIONER } },
          spec: {
            capacity: { storage: request },
            accessModes: pvc.spec?.accessModes ?? ["ReadWriteOnce"],
            persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
            storageClassName: sc.metadata.name,
            volumeMode: pvc.spec?.volumeMode ?? "Filesystem",
            hostPath: { path: folderOf(name), type: "DirectoryOrCreate" },
            claimRef: {
              kind: "PersistentVolumeClaim",
              namespace: pvc.metadata.namespace,
              name: pvc.metadata.name,
              uid: pvc.metadata.uid,
              apiVersion: "v1",
            },
          },
        },
        { scope: "main" },
      );
      recordEvent(store, pvc, "Normal", "ProvisioningSucceeded", `Successfully provisioned volume ${name}`, {
        component: `${LAB_PROVISIONER}`,
      });
      return;
    }
    // Expansion: the "resizer" grows the volume; the binding controller then reports the new capacity on the claim.
    if (pv && pvc.spec?.volumeName === name) {
      const request = tryParseQuantity(requestOf(pvc));
      const capacity = tryParseQuantity(pv.spec?.capacity?.storage);
      if (request && capacity && request.cmp(capacity) > 0)
        store.modify("v1", "PersistentVolume", undefined, name, (o) => (o.spec.capacity = { ...o.spec.capacity, storage: requestOf(pvc) }));
    }
  };
  const unsubscribe = store.subscribe((event: StoreEvent) => {
    if (event.def.kind === "PersistentVolumeClaim" && event.type !== "DELETED") reconcile(event.object);
    else if (event.def.kind === "StorageClass" && event.type !== "DELETED")
      for (const pvc of store.list("v1", "PersistentVolumeClaim")) reconcile(pvc);
  });
  for (const pvc of store.list("v1", "PersistentVolumeClaim")) reconcile(pvc);
  return unsubscribe;
}
