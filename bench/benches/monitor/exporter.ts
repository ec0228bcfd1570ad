/**
 * The monitor bench's stand-in kubelets: one metrics page per vCluster, served from a process of its own, and the
 * Prometheus config that scrapes them. In the bench's own process a long cycle (or the PV watches relisting 50,000
 * volumes) kept the pages from answering within the scrape timeout; Prometheus then marks every series of the
 * target stale, and the next cycle saw a quarter of the volumes ("sampled 12500 of 50000").
 */
import { fork } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const GiB = 1024 ** 3;
export const WORKSPACES = 4;
export const vclusterOf = (w: number) => `bench-${w}`;

const here = path.dirname(fileURLToPath(import.meta.url));

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
export function metricsPages(volumes: BenchVolume[]): Map<string, string> {
  const pages = new Map<string, string>();
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
    pages.set(vclusterOf(w), text);
  }
  return pages;
}

/** Starts exporter-process.ts on a free port; `serve` hands it the volumes and resolves once it serves them. */
export async function startExporter() {
  const child = fork(path.join(here, "exporter-process.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const replies: Array<(message: unknown) => void> = [];
  child.on("message", (message) => replies.shift()?.(message));
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`the exporter exited with ${code}`))));
  exited.catch(() => undefined);
  const ask = (message: unknown) =>
    Promise.race([new Promise<unknown>((resolve) => (replies.push(resolve), child.send(message as object))), exited]);
  const { port } = (await ask({ listen: true })) as { port: number };
  return {
    url: `127.0.0.1:${port}`,
    async serve(volumes: BenchVolume[]) {
      await ask({ pages: [...metricsPages(volumes)] });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
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
