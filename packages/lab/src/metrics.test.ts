import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostPvcName, parsePrometheusText, PROMETHEUS_TEXT_CONTENT_TYPE } from "./index.js";
import { startLab, type Lab } from "./lab.js";
import { clients, until } from "./kubernetes/test-helpers.js";

const PROMETHEUS = "/usr/bin/prometheus";
const LONG = "postgres-data-of-the-primary-database-instance-number-one";

let dir: string;
let lab: Lab;
let pv = "";
let longPv = "";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lab-metrics-"));
  lab = await startLab({
    dataDir: dir,
    clusters: [
      { name: "acme", namespaces: ["apps"] },
      { name: "globex", namespaces: ["web"] },
    ],
  });
  const acme = lab.clusters.get("acme")!;
  const api = clients(acme);
  for (const [name, size] of [
    ["data", "2Gi"],
    [LONG, "1Gi"],
  ] as const)
    await api.core.createNamespacedPersistentVolumeClaim({
      namespace: "apps",
      body: { metadata: { name }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: size } } } },
    });
  const ready = async (name: string) => {
    const claim = await api.core.readNamespacedPersistentVolumeClaim({ name, namespace: "apps" });
    const volume = claim.status?.phase === "Bound" ? claim.spec?.volumeName : undefined;
    const usage = volume && acme.volumeUsage(volume);
    return usage && (usage.sizeLimited || process.getuid?.() !== 0) ? volume : undefined;
  };
  pv = await until(() => ready("data"), 10_000, "the data volume");
  longPv = await until(() => ready(LONG), 10_000, "the long-named volume");
  await writeFile(path.join(acme.volumeFolder(pv) ?? "", "dump.sql"), Buffer.alloc(512 * 1024, 7));
});
afterAll(async () => {
  await lab?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("host-level kubelet metrics", () => {
  it("names synced claims <pvc>-x-<ns>-x-<vcluster> in namespace vcluster-<name>", async () => {
    const res = await fetch(lab.kubeletMetricsUrl);
    expect(res.headers.get("content-type")).toBe(PROMETHEUS_TEXT_CONTENT_TYPE);
    const samples = parsePrometheusText(await res.text()).filter((s) => s.name === "kubelet_volume_stats_used_bytes");
    const names = samples.map((s) => `${s.labels.namespace}/${s.labels.persistentvolumeclaim}`).sort();
    const shortened = hostPvcName("acme", "apps", LONG);
    expect(shortened).toHaveLength(63);
    expect(shortened.startsWith(`${LONG}-x-apps-x-acme`.slice(0, 52) + "-")).toBe(true);
    expect(names).toEqual(["vcluster-acme/data-x-apps-x-acme", `vcluster-acme/${shortened}`].sort());
    const acme = lab.clusters.get("acme")!;
    const data = samples.find((s) => s.labels.persistentvolumeclaim === "data-x-apps-x-acme");
    expect(data?.value).toBe(acme.volumeUsage(pv)?.usedBytes);
    expect(data?.value).toBeGreaterThanOrEqual(512 * 1024 * 1024);
    expect(acme.volumeUsage(longPv)).toBeDefined();
    expect((await fetch(lab.kubeletMetricsUrl.replace(/metrics$/, "nothing"))).status).toBe(404);
  });

  it("writes a complete prometheus.yml and offers the scrape_configs snippet", async () => {
    const written = parseYaml(await readFile(path.join(dir, "lab", "prometheus.yml"), "utf8"));
    const snippet = parseYaml(lab.prometheusScrapeConfig());
    expect(written.global.scrape_interval).toBe("1s");
    expect(written.scrape_configs).toEqual(snippet.scrape_configs);
    const jobs = snippet.scrape_configs as Array<{
      job_name: string;
      scrape_interval: string;
      static_configs: Array<{ targets: string[]; labels?: Record<string, string> }>;
    }>;
    expect(jobs.map((j) => j.job_name)).toEqual(["kubelet", "vcluster-acme", "vcluster-globex"]);
    expect(jobs.every((j) => j.scrape_interval === "1s")).toBe(true);
    expect(jobs[0]?.static_configs[0]?.targets).toEqual([new URL(lab.kubeletMetricsUrl).host]);
    expect(jobs[1]?.static_configs[0]).toEqual({
      targets: [new URL(lab.clusters.get("acme")!.metricsUrl).host],
      labels: { vcluster: "acme" },
    });
  });
});

describe.skipIf(!existsSync(PROMETHEUS))(`a real Prometheus (${PROMETHEUS}) scraping the lab`, () => {
  let prometheus: ChildProcess | undefined;
  let promDir = "";
  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null && prometheus.signalCode === null) {
      const exited = new Promise((resolve) => prometheus?.once("exit", resolve));
      prometheus.kill("SIGTERM");
      const killer = setTimeout(() => prometheus?.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killer);
    }
    if (promDir) await rm(promDir, { recursive: true, force: true });
  });

  it("sees the seeded claim's usage under both the virtual and the host names", async () => {
    promDir = await mkdtemp(path.join(tmpdir(), "lab-prometheus-"));
    const port = await freePort();
    let log = "";
    const started = Date.now();
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${path.join(dir, "lab", "prometheus.yml")}`,
        `--storage.tsdb.path=${path.join(promDir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    prometheus.stdout?.on("data", (c: Buffer) => (log += c.toString()));
    prometheus.stderr?.on("data", (c: Buffer) => (log += c.toString()));
    type Series = { metric: Record<string, string>; value: [number, string] };
    const query = async (): Promise<Series[]> => {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=kubelet_volume_stats_used_bytes`);
      const body = (await res.json()) as { status: string; data: { result: Series[] } };
      return body.status === "success" ? body.data.result : [];
    };
    let result: Series[] = [];
    try {
      result = await until(
        async () => {
          if (prometheus?.exitCode !== null) throw new Error(`prometheus exited with ${prometheus?.exitCode}`);
          const r = await query();
          const virtual = r.some((s) => s.metric.job === "vcluster-acme" && s.metric.persistentvolumeclaim === "data");
          const host = r.some((s) => s.metric.job === "kubelet" && s.metric.persistentvolumeclaim === "data-x-apps-x-acme");
          return virtual && host ? r : undefined;
        },
        30_000,
        "Prometheus to report kubelet_volume_stats_used_bytes",
      );
    } catch (error) {
      throw new Error(`${String(error)}\n--- prometheus log ---\n${log.slice(-4000)}`);
    }
    console.info(`prometheus: first samples of the lab's volume stats after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const used = lab.clusters.get("acme")!.volumeUsage(pv)?.usedBytes;
    const virtual = result.find((s) => s.metric.job === "vcluster-acme" && s.metric.persistentvolumeclaim === "data");
    const host = result.find((s) => s.metric.job === "kubelet" && s.metric.persistentvolumeclaim === "data-x-apps-x-acme");
    expect(virtual?.metric).toMatchObject({ namespace: "apps", vcluster: "acme" });
    expect(host?.metric).toMatchObject({ namespace: "vcluster-acme" });
    expect(Number(virtual?.value[1])).toBe(used);
    expect(Number(host?.value[1])).toBe(used);
    expect(result.some((s) => s.metric.persistentvolumeclaim === hostPvcName("acme", "apps", LONG))).toBe(true);
  }, 60_000);
});

if (!existsSync(PROMETHEUS)) console.warn(`skipping the real-Prometheus test: ${PROMETHEUS} is not installed (apt-get install prometheus)`);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
