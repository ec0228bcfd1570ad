import path from "node:path";
import { CoreV1Api, KubeConfig, StorageV1Api } from "@kubernetes/client-node";
import type { Lab } from "@hks/lab";

/** The lab vCluster as a test (or an operator with kubectl) sees it: through the real client and its kubeconfig. */
export function kubeFor(lab: Lab, vcluster: string) {
  const config = new KubeConfig();
  config.loadFromFile(path.join(lab.dir!, `${vcluster}.kubeconfig`));
  return { core: config.makeApiClient(CoreV1Api), storage: config.makeApiClient(StorageV1Api) };
}
