import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { stringify as stringifyYaml } from "yaml";
import { hostNamespace, hostPvcName, PROMETHEUS_TEXT_CONTENT_TYPE, renderVolumeStats, type VolumeStat } from "./kubernetes/metrics.js";
import { startProxmoxApi, type ProxmoxLab } from "./proxmox/server.js";
import { DEFAULT_BYTES_PER_GIB, startKubeApiServer, type ImageMapping, type KubeLab } from "./kubernetes/server.js";

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
  /** Folder holding `<cluster>.kubeconfig`, `proxmox.json` and `prometheus.yml`, when a dataDir was given. */
  dir?: string;
  /**
   * "http://127.0.0.1:<port>/metrics": the host cluster's kubelets' view of every vCluster's Bound claims, as vCluster
   * syncs them: namespace `vcluster-<name>`, persistentvolumeclaim `hostPvcName(name, namespace, pvc)`. Same series,
   * format and lab bytes as each KubeLab's `metricsUrl`.
   */
  kubeletMetricsUrl: string;
  /** Real bytes per GiB of PV capacity: the lab's scale, in which its kubelet metrics and its pods' printed sizes are given. */
  bytesPerGiB: number;
  /**
   * A prometheus.yml `scrape_configs` document (valid on its own as a Prometheus config): job `kubelet` scrapes
   * `kubeletMetricsUrl`, job `vcluster-<name>` (target label `vcluster`) each vCluster's `metricsUrl`, every 1 s.
   */
  prometheusScrapeConfig(): string;
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
  const kubelet = await startHostKubeletMetrics(host, clusters, dir && path.join(dir, "kubelet-metrics.json"));
  const scrapeConfigs = () => prometheusScrapeConfigs(kubelet.url, clusters);
  if (dir) {
    await writeFile(
      path.join(dir, "prometheus.yml"),
      "# Written by the lab at start: scrapes its kubelet-style volume metrics every second.\n" +
        stringifyYaml({
          global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
          scrape_configs: scrapeConfigs(),
        }),
    );
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
    kubeletMetricsUrl: kubelet.url,
    bytesPerGiB: options.bytesPerGiB ?? DEFAULT_BYTES_PER_GIB,
    prometheusScrapeConfig: () => stringifyYaml({ scrape_configs: scrapeConfigs() }),
    async close() {
      await Promise.all([kubelet.close(), proxmox.close(), ...[...clusters.values()].map((k) => k.close())]);
    },
  };
}

/** The series the host cluster's kubelets would report for every vCluster's synced claims. */
export function hostVolumeStats(clusters: Map<string, KubeLab>): VolumeStat[] {
  const stats: VolumeStat[] = [];
  for (const [name, kube] of clusters)
    for (const s of kube.volumeStats())
      stats.push({ ...s, namespace: hostNamespace(name), persistentvolumeclaim: hostPvcName(name, s.namespace, s.persistentvolumeclaim) });
  return stats;
}

function prometheusScrapeConfigs(kubeletUrl: string, clusters: Map<string, KubeLab>) {
  const job = (name: string, url: string, labels?: Record<string, string>) => {
    const u = new URL(url);
    return {
      job_name: name,
      scrape_interval: "1s",
      scrape_timeout: "1s",
      metrics_path: u.pathname,
      scheme: u.protocol.replace(/:$/, ""),
      static_configs: [{ targets: [u.host], ...(labels ? { labels } : {}) }],
    };
  };
  return [job("kubelet", kubeletUrl), ...[...clusters].map(([name, kube]) => job(`vcluster-${name}`, kube.metricsUrl, { vcluster: name }))];
}

/** One small HTTP server per lab: `GET /metrics` with the host-side names. Keeps its port across restarts when it can. */
async function startHostKubeletMetrics(host: string, clusters: Map<string, KubeLab>, portFile: string | undefined) {
  const server: Server = createServer((req, res) => {
    const pathname = new URL(req.url ?? "/", "http://lab").pathname;
    const method = (req.method ?? "GET").toUpperCase();
    if (pathname === "/healthz") {
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("ok");
      return;
    }
    if (pathname !== "/metrics" || (method !== "GET" && method !== "HEAD")) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      res.end("404 page not found\n");
      return;
    }
    let text: string;
    try {
      text = renderVolumeStats(hostVolumeStats(clusters));
    } catch (error) {
      res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8" });
      res.end(`collecting volume stats failed: ${String(error)}\n`);
      return;
    }
    res.writeHead(200, { "Content-Type": PROMETHEUS_TEXT_CONTENT_TYPE, "Content-Length": Buffer.byteLength(text) });
    res.end(method === "HEAD" ? undefined : text);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  let previous: number | undefined;
  if (portFile)
    previous = await readFile(portFile, "utf8").then(
      (t) => Number((JSON.parse(t) as { port?: unknown }).port) || undefined,
      () => undefined,
    );
  try {
    await listen(previous ?? 0);
  } catch (error) {
    if (!previous || (error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
    await listen(0);
  }
  const port = (server.address() as AddressInfo).port;
  if (portFile) await writeFile(portFile, JSON.stringify({ port }) + "\n");
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
