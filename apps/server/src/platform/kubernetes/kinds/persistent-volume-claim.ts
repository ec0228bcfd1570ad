import type { V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { MANAGED_BY, VOLUME_ID_LABEL } from "./labels.js";

export const PERSISTENT_VOLUME_CLAIM = { apiVersion: "v1", kind: "PersistentVolumeClaim", namespaced: true } as const;

/** The claim through which an application's namespace mounts a Storage Volume: pinned to the volume's own PV. */
export function volumeClaimManifest(spec: {
  name: string;
  namespace: string;
  volumeId: string;
  storageClassName: string;
  persistentVolumeName: string;
  sizeGiB: number;
}): V1PersistentVolumeClaim & { apiVersion: string; kind: string } {
  return {
    apiVersion: PERSISTENT_VOLUME_CLAIM.apiVersion,
    kind: PERSISTENT_VOLUME_CLAIM.kind,
    metadata: { name: spec.name, namespace: spec.namespace, labels: { ...MANAGED_BY, [VOLUME_ID_LABEL]: spec.volumeId } },
    spec: {
      accessModes: ["ReadWriteOnce"],
      storageClassName: spec.storageClassName,
      volumeName: spec.persistentVolumeName,
      resources: { requests: { storage: `${spec.sizeGiB}Gi` } },
    },
  };
}

/** A new claim for a restore target, provisioned by the namespace's StorageClass. */
export function restoreTargetClaimManifest(spec: { name: string; namespace: string; sizeGiB: number; storageClassName?: string }) {
  return {
    apiVersion: PERSISTENT_VOLUME_CLAIM.apiVersion,
    kind: PERSISTENT_VOLUME_CLAIM.kind,
    metadata: { name: spec.name, namespace: spec.namespace, labels: { ...MANAGED_BY } },
    spec: {
      accessModes: ["ReadWriteOnce"],
      ...(spec.storageClassName ? { storageClassName: spec.storageClassName } : {}),
      resources: { requests: { storage: `${spec.sizeGiB}Gi` } },
    },
  } satisfies V1PersistentVolumeClaim & { apiVersion: string; kind: string };
}
