import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { startProxmoxApi, type ProxmoxLab } from "./proxmox/server.js";
import { startKubeApiServer, type ImageMapping, type KubeLab } from "./kubernetes/server.js";

export interface LabClusterSpec {
  /** vCluster name; the kubeconfig is written as `<name>.kubeconfig`. */
  name: string;
  namespaces: string[];
}

export interface LabOptions {
  /** When set, state persists under `<dataDir>/lab/` and kubeconfigs are written there. */
  dataDir?: string;
  host?: string;
  clusters: LabClusterSpec[];
  /** Image name without tag → local path mapping for pods run as local processes (see KubeLabOptions.images). */
  images?: Record<string, ImageMapping>;
  /** Real bytes per GiB of PV capacity; default 1 MiB ("a lab GiB holds a real MiB"). */
  bytesPerGiB?: number;
  /** Size-limit PV folders with tmpfs mounts when running as root on Linux (default true). */
  tmpfs?: boolean;
}

export interface Lab {
  proxmox: ProxmoxLab;
  clusters: Map<string, KubeLab>;
  /** Folder holding `<cluster>.kubeconfig` and `proxmox.json`, when a dataDir was given. */
  dir?: string;
  close(): Promise<void>;
}

/** Starts the whole lab platform on free loopback ports: one Proxmox VE API and one Kubernetes API per vCluster. */
export async function startLab(options: LabOptions): Promise<Lab> {
  const host = options.host ?? "127.0.0.1";
  const dir = options.dataDir ? path.join(options.dataDir, "lab") : undefined;
  if (dir) await mkdir(dir, { recursive: true });
  const proxmox = await startProxmoxApi({ host, stateFile: dir && path.join(dir, "proxmox-state.json") });
  const clusters = new Map<string, KubeLab>();
  for (const spec of options.clusters) {
    const kube = await startKubeApiServer({
      host,
      name: spec.name,
      namespaces: spec.namespaces,
      nodes: proxmox.nodes.map((node) => ({ name: node, region: proxmox.clusterName, zone: node })),
      stateFile: dir && path.join(dir, `kube-${spec.name}-state.json`),
      images: options.images,
      bytesPerGiB: options.bytesPerGiB,
      tmpfs: options.tmpfs,
    });
    clusters.set(spec.name, kube);
  }
  if (dir) {
    for (const [name, kube] of clusters) await writeFile(path.join(dir, `${name}.kubeconfig`), kube.kubeconfig());
    await writeFile(
      path.join(dir, "proxmox.json"),
      JSON.stringify({ url: proxmox.url, tokenId: proxmox.tokenId, tokenSecret: proxmox.tokenSecret }, null, 2) + "\n",
    );
  }
  return {
    proxmox,
    clusters,
    dir,
    async close() {
      await Promise.all([proxmox.close(), ...[...clusters.values()].map((k) => k.close())]);
    },
  };
}
