import type { V1PersistentVolume } from "@kubernetes/client-node";
import { MANAGED_BY, VOLUME_ID_LABEL, WORKSPACE_LABEL } from "./labels.js";

export const PERSISTENT_VOLUME = { apiVersion: "v1", kind: "PersistentVolume", namespaced: false } as const;

export interface PersistentVolumeSpec {
  name: string;
  volumeId: string;
  workspace: string;
  storageClassName: string;
  sizeGiB: number;
  csiDriver: string;
  /** Proxmox cluster name (topology region) and node (topology zone) the disk lives on. */
  region: string;
  zone: string;
  proxmoxStorage: string;
  diskName: string;
}

/**
 * A pre-provisioned PV for the disk, as the Proxmox CSI plugin would have made it: its volume handle
 * `<region>/<zone>/<storage>/<disk>` and node affinity on the region and zone, because a local
 * disk can only be attached on its own Proxmox node.
 */
export function persistentVolumeManifest(spec: PersistentVolumeSpec): V1PersistentVolume & { apiVersion: string; kind: string } {
  return {
    apiVersion: PERSISTENT_VOLUME.apiVersion,
    kind: PERSISTENT_VOLUME.kind,
    metadata: {
      name: spec.name,
      labels: { ...MANAGED_BY, [VOLUME_ID_LABEL]: spec.volumeId, [WORKSPACE_LABEL]: spec.workspace },
      annotations: { "pv.kubernetes.io/provisioned-by": spec.csiDriver },
    },
    spec: {
      capacity: { storage: `${spec.sizeGiB}Gi` },
      accessModes: ["ReadWriteOnce"],
      persistentVolumeReclaimPolicy: "Retain",
      storageClassName: spec.storageClassName,
      volumeMode: "Filesystem",
      csi: {
        driver: spec.csiDriver,
        volumeHandle: `${spec.region}/${spec.zone}/${spec.proxmoxStorage}/${spec.diskName}`,
        fsType: "ext4",
        volumeAttributes: { storage: spec.proxmoxStorage },
      },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            {
              matchExpressions: [
                { key: "topology.kubernetes.io/region", operator: "In", values: [spec.region] },
                { key: "topology.kubernetes.io/zone", operator: "In", values: [spec.zone] },
              ],
            },
          ],
        },
      },
    },
  };
}

/** The claim bound to a PV, if any: such a volume is in use and must not be deleted (a Released PV's claim is gone). */
export function boundClaim(pv: V1PersistentVolume): { namespace: string; name: string } | undefined {
  const ref = pv.spec?.claimRef;
  if (!ref?.name || pv.status?.phase !== "Bound") return undefined;
  return { namespace: ref.namespace ?? "default", name: ref.name };
}
