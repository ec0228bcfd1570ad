import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostPvcName, parsePrometheusText, PROMETHEUS_TEXT_CONTENT_TYPE, safeConcatName } from "./metrics.js";
import { startKubeApiServer, type KubeLab } from "./server.js";
import { clients, isRoot, until } from "./test-helpers.js";

const NODES = [{ name: "pve1", region: "lab", zone: "pve1" }];
const GiB = 2 ** 30;
const SCALE = GiB / (1024 * 1024); // lab bytes per real byte at the default "a lab GiB holds a real MiB"

async function scrape(url: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe(PROMETHEUS_TEXT_CONTENT_TYPE);
  const text = await res.text();
  return { text, samples: parsePrometheusText(text) };
}

function valueOf(samples: ReturnType<typeof parsePrometheusText>, name: string, namespace: string, pvc: string): number | undefined {
  return samples.find((s) => s.name === name && s.labels.namespace === namespace && s.labels.persistentvolumeclaim === pvc)?.value;
}

describe.each([
  { tmpfs: true, label: isRoot ? "tmpfs" : "plain folders (not root)" },
  { tmpfs: false, label: "plain folders" },
])("per-vCluster /metrics with $label", ({ tmpfs }) => {
  let lab: KubeLab;
  beforeAll(async () => {
    lab = await startKubeApiServer({ name: "acme", namespaces: ["apps"], nodes: NODES, tmpfs });
  });
  afterAll(() => lab.close());

  it("reports bound claims with virtual names, lab bytes measured at scrape time, and skips unbound claims", async () => {
    expect(lab.metricsUrl).toBe(`${lab.url}/metrics`);
    const limited = tmpfs && isRoot;
    const api = clients(lab);
    const usageReady = async (name: string) => {
      const pvc = await api.core.readNamespacedPersistentVolumeClaim({ name, namespace: "apps" });
      const pv = pvc.status?.phase === "Bound" ? pvc.spec?.volumeName : undefined;
      const u = pv && lab.volumeUsage(pv);
      return u && u.sizeLimited === limited ? { pv, folder: lab.volumeFolder(pv) ?? "" } : undefined;
    };
    await api.core.createNamespacedPersistentVolumeClaim({
      namespace: "apps",
      body: { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "500Gi" } } } },
    });
    // No class with this name: the claim stays Pending and must not be reported.
    await api.core.createNamespacedPersistentVolumeClaim({
      namespace: "apps",
      body: {
        metadata: { name: "pending" },
        spec: { storageClassName: "nothing", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    });
    const { pv, folder } = await until(() => usageReady("data"), 10_000, "the volume folder");
    const N = 300 * 1024;
    await writeFile(path.join(folder, "a.bin"), Buffer.alloc(N, 1));

    const { text, samples } = await scrape(lab.metricsUrl);
    expect(text).toContain(
      "# HELP kubelet_volume_stats_used_bytes [ALPHA] Number of used bytes in the volume\n# TYPE kubelet_volume_stats_used_bytes gauge\n",
    );
    for (const name of [
      "capacity_bytes",
      "available_bytes",
      "used_bytes",
      "inodes",
      "inodes_free",
      "inodes_used",
      "health_status_abnormal",
    ])
      expect(text).toContain(`# TYPE kubelet_volume_stats_${name} gauge\n`);
    expect(new Set(samples.map((s) => s.labels.persistentvolumeclaim))).toEqual(new Set(["data"]));
    expect(samples.every((s) => s.labels.namespace === "apps" && Object.keys(s.labels).length === 2)).toBe(true);

    const capacity = valueOf(samples, "kubelet_volume_stats_capacity_bytes", "apps", "data");
    const used = valueOf(samples, "kubelet_volume_stats_used_bytes", "apps", "data") ?? NaN;
    const available = valueOf(samples, "kubelet_volume_stats_available_bytes", "apps", "data") ?? NaN;
    expect(capacity).toBe(500 * GiB); // 536870912000, comparable with the PV's "500Gi"
    expect(used).toBeGreaterThanOrEqual(N * SCALE);
    expect(used).toBeLessThanOrEqual((N + 16 * 1024) * SCALE); // block rounding (and a plain folder's own directory)
    expect(available).toBe(500 * GiB - used);
    expect(valueOf(samples, "kubelet_volume_stats_health_status_abnormal", "apps", "data")).toBe(0);
    const inodes = valueOf(samples, "kubelet_volume_stats_inodes", "apps", "data") ?? NaN;
    const inodesUsed = valueOf(samples, "kubelet_volume_stats_inodes_used", "apps", "data") ?? NaN;
    const inodesFree = valueOf(samples, "kubelet_volume_stats_inodes_free", "apps", "data") ?? NaN;
    expect(inodesUsed).toBeGreaterThanOrEqual(1);
    expect(inodes).toBe(inodesUsed + inodesFree);
    expect(lab.volumeStats().map((s) => [s.namespace, s.persistentvolumeclaim, s.persistentVolume])).toEqual([["apps", "data", pv]]);

    // More data: the next scrape sees it.
    await writeFile(path.join(folder, "b.bin"), Buffer.alloc(200 * 1024, 2));
    const again = (await scrape(lab.metricsUrl)).samples;
    const usedAfter = valueOf(again, "kubelet_volume_stats_used_bytes", "apps", "data") ?? NaN;
    expect(usedAfter).toBeGreaterThanOrEqual(used + 200 * 1024 * SCALE);
    expect(valueOf(again, "kubelet_volume_stats_inodes_used", "apps", "data")).toBe(inodesUsed + 1);

    // No auth needed; HEAD works too; other paths still want the token.
    expect((await fetch(lab.metricsUrl, { method: "HEAD" })).status).toBe(200);
    expect((await fetch(`${lab.url}/api/v1/namespaces`)).status).toBe(401);
  });
});

describe("host names of synced claims (vCluster translate.SafeConcatName)", () => {
  it("joins <pvc>-x-<namespace>-x-<vcluster> and shortens names over 63 characters", () => {
    expect(hostPvcName("acme", "apps", "data")).toBe("data-x-apps-x-acme");
    const exact = "a".repeat(63 - "-x-apps-x-acme".length);
    expect(hostPvcName("acme", "apps", exact)).toBe(`${exact}-x-apps-x-acme`); // 63: kept
    const long = "postgres-data-of-the-primary-database-instance-number-one";
    const full = `${long}-x-apps-x-acme`;
    const short = hostPvcName("acme", "apps", long);
    expect(full.length).toBeGreaterThan(63);
    expect(short).toBe(`${full.slice(0, 52)}-${createHash("sha256").update(full).digest("hex").slice(0, 10)}`);
    expect(short).toHaveLength(63);
    // A dot right before the hash is dropped (".-" → "-"), as vCluster does.
    const dotted = `${"b".repeat(51)}.${"c".repeat(20)}`;
    const hash = createHash("sha256").update(`${dotted}-x-apps-x-acme`).digest("hex").slice(0, 10);
    expect(hostPvcName("acme", "apps", dotted)).toBe(`${"b".repeat(51)}-${hash}`);
    expect(safeConcatName("x", "y")).toBe("x-y");
  });

  it("parses the exposition format, escapes included", () => {
    const samples = parsePrometheusText(
      '# HELP m help\n# TYPE m gauge\nm{a="x\\"y\\\\z\\n",b="",} 1.5e3 1700000000000\nplain -Inf\nnan NaN\n',
    );
    expect(samples[0]).toEqual({ name: "m", labels: { a: 'x"y\\z\n', b: "" }, value: 1500, timestamp: 1700000000000 });
    expect(samples[1]).toEqual({ name: "plain", labels: {}, value: -Infinity });
    expect(Number.isNaN(samples[2]?.value)).toBe(true);
    expect(() => parsePrometheusText("m{a=x} 1")).toThrow(/line 1/);
    expect(() => parsePrometheusText("m one")).toThrow(/bad value/);
  });
});
