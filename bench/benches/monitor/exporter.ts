/** The monitor bench's stand-in kubelets: one metrics page per vCluster, and the Prometheus that scrapes them. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const GiB = 1024 ** 3;
export const WORKSPACES = 4;
export const vclusterOf = (w: number) => `bench-${w}`;

export interface BenchVolume {
  id: string;
  workspace: number;
  name: string;
  sizeGiB: number;
  namespace: string;
  claim: string;
  /** Share of the capacity in use: most well under the threshold, one in a hundred over it (an alert). */
  usedShare: number;
}

/** Kubelet volume stats, per vCluster (`/metrics/<vcluster>`), for every volume's claim: the text a kubelet serves. */
export async function startExporter() {
  let pages = new Map<string, Buffer>();
  const server: Server = createServer((req, res) => {
    const page = pages.get((req.url ?? "").replace(/^\/metrics\//, ""));
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Content-Length": page.length });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    serve(volumes: BenchVolume[]) {
      const next = new Map<string, Buffer>();
      for (let w = 0; w < WORKSPACES; w++) {
        const mine = volumes.filter((v) => v.workspace === w);
        let text =
          "# HELP kubelet_volume_stats_capacity_bytes [ALPHA] Capacity in bytes of the volume\n# TYPE kubelet_volume_stats_capacity_bytes gauge\n";
        for (const v of mine)
          text += `kubelet_volume_stats_capacity_bytes{namespace="${v.namespace}",persistentvolumeclaim="${v.claim}"} ${v.sizeGiB * GiB}\n`;
        text +=
          "# HELP kubelet_volume_stats_used_bytes [ALPHA] Number of used bytes in the volume\n# TYPE kubelet_volume_stats_used_bytes gauge\n";
        for (const v of mine)
          text += `kubelet_volume_stats_used_bytes{namespace="${v.namespace}",persistentvolumeclaim="${v.claim}"} ${Math.round(v.sizeGiB * GiB * v.usedShare)}\n`;
        next.set(vclusterOf(w), Buffer.from(text));
      }
      pages = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function prometheusConfig(exporter: string, scrapeSeconds: number): string {
  const jobs = Array.from({ length: WORKSPACES }, (_, w) =>
    [
      `  - job_name: vcluster-${vclusterOf(w)}`,
      `    metrics_path: /metrics/${vclusterOf(w)}`,
      `    static_configs:`,
      `      - targets: ["${exporter}"]`,
      `        labels: { vcluster: "${vclusterOf(w)}" }`,
    ].join("\n"),
  );
  return `global:\n  scrape_interval: ${scrapeSeconds}s\n  scrape_timeout: ${scrapeSeconds}s\nscrape_configs:\n${jobs.join("\n")}\n`;
}
