import type { V1StorageClass } from "@kubernetes/client-node";
import { MANAGED_BY, VOLUME_ID_LABEL, WORKSPACE_LABEL } from "./labels.js";

export const STORAGE_CLASS = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", namespaced: false } as const;

export interface StorageClassSpec {
  name: string;
  volumeId: string;
  workspace: string;
  csiDriver: string;
  proxmoxStorage: string;
}

/**
 * The volume's dedicated StorageClass, shaped for the Proxmox CSI plugin: its `storage` parameter,
 * expansion allowed, and binding delayed until a pod picks a node the disk can reach.
 */
export function storageClassManifest(spec: StorageClassSpec): V1StorageClass & { apiVersion: string; kind: string } {
  return {
    apiVersion: STORAGE_CLASS.apiVersion,
    kind: STORAGE_CLASS.kind,
    metadata: {
      name: spec.name,
      labels: { ...MANAGED_BY, [VOLUME_ID_LABEL]: spec.volumeId, [WORKSPACE_LABEL]: spec.workspace },
    },
    provisioner: spec.csiDriver,
    parameters: { storage: spec.proxmoxStorage, "csi.storage.k8s.io/fstype": "ext4" },
    reclaimPolicy: "Retain",
    allowVolumeExpansion: true,
    volumeBindingMode: "WaitForFirstConsumer",
  };
}
