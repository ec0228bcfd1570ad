import { existsSync } from "node:fs";
import path from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { PlatformError } from "../errors.js";
import { VClusterClient } from "./vcluster-client.js";

/** Finds each workspace's vCluster: a kubeconfig named `<vcluster>.kubeconfig` in one folder. */
export class VClusters {
  private readonly clients = new Map<string, VClusterClient>();

  constructor(private readonly kubeconfigDir: string) {}

  forName(vcluster: string): VClusterClient {
    let client = this.clients.get(vcluster);
    if (!client) {
      const file = path.join(this.kubeconfigDir, `${vcluster}.kubeconfig`);
      if (!existsSync(file)) {
        throw new PlatformError("kubernetes", `no kubeconfig for vCluster '${vcluster}' (expected ${file})`, 404);
      }
      const config = new KubeConfig();
      config.loadFromFile(file);
      client = new VClusterClient(vcluster, config);
      this.clients.set(vcluster, client);
    }
    return client;
  }
}
