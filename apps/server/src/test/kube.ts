import { existsSync } from "node:fs";
import path from "node:path";
import { CoreV1Api, KubeConfig, StorageV1Api } from "@kubernetes/client-node";
import type { Lab } from "@hks/lab";
import { eventually } from "./harness.js";

/** The lab vCluster as a test (or an operator with kubectl) sees it: through the real client and its kubeconfig. */
export function kubeFor(lab: Lab, vcluster: string) {
  const config = new KubeConfig();
  config.loadFromFile(path.join(lab.dir!, `${vcluster}.kubeconfig`));
  return { core: config.makeApiClient(CoreV1Api), storage: config.makeApiClient(StorageV1Api) };
}

/**
 * Binds a claim in the lab vCluster to a provisioned volume, as an application (or a backup's destination) mounts it,
 * and waits until the lab has the volume's folder; answers the folder (where a test writes what the kubelet measures).
 */
export async function mountVolume(
  lab: Lab,
  vcluster: string,
  volume: { persistentVolumeName: string; storageClassName: string; sizeGiB: number },
  claim: string,
  namespace = "shop",
): Promise<string> {
  await kubeFor(lab, vcluster).core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name: claim },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: volume.storageClassName,
        volumeName: volume.persistentVolumeName,
        resources: { requests: { storage: `${volume.sizeGiB}Gi` } },
      },
    },
  });
  return eventually(async () => {
    const folder = lab.clusters.get(vcluster)!.volumeFolder(volume.persistentVolumeName);
    return folder && existsSync(folder) ? folder : undefined;
  }, `the folder of ${volume.persistentVolumeName}`);
}
