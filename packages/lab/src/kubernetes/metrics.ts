import { createHash } from "node:crypto";
import type { VolumeUsage } from "./controllers/volumes.js";
import type { KubeStore } from "./store.js";

/** The Content-Type of the Prometheus text exposition format 0.0.4 (what kubelet and Prometheus client libraries send). */
export const PROMETHEUS_TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** One bound PersistentVolumeClaim and the usage of its volume's folder, as the kubelet's volume stats collector sees it. */
export interface VolumeStat {
  namespace: string;
  persistentvolumeclaim: string;
  /** The PersistentVolume the claim is bound to. */
  persistentVolume: string;
  usage: VolumeUsage;
}

/** A sample of the text exposition format. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch, when the line carries one. */
  timestamp?: number;
}

/**
 * The kubelet's volume stats gauges (pkg/kubelet/metrics/collectors/volume_stats.go), with their HELP texts; the
 * kubelet prefixes them with the stability level "[ALPHA]".
 */
const VOLUME_STATS: Array<[name: string, help: string, value: (u: VolumeUsage) => number]> = [
  ["kubelet_volume_stats_available_bytes", "Number of available bytes in the volume", (u) => u.availableBytes],
  ["kubelet_volume_stats_capacity_bytes", "Capacity in bytes of the volume", (u) => u.capacityBytes],
  [
    "kubelet_volume_stats_health_status_abnormal",
    "Abnormal volume health status. The count is either 1 or 0. 1 indicates the volume is unhealthy, 0 indicates volume is healthy",
    () => 0,
  ],
  ["kubelet_volume_stats_inodes", "Maximum number of inodes in the volume", (u) => u.inodes.total],
  ["kubelet_volume_stats_inodes_free", "Number of free inodes in the volume", (u) => u.inodes.free],
  ["kubelet_volume_stats_inodes_used", "Number of used inodes in the volume", (u) => u.inodes.used],
  ["kubelet_volume_stats_used_bytes", "Number of used bytes in the volume", (u) => u.usedBytes],
];

/** Every Bound claim of the store whose volume has a folder, with its usage measured now (`usage` is `volumeUsage`). */
export function volumeStatsOf(store: KubeStore, usage: (pv: string) => VolumeUsage | undefined): VolumeStat[] {
  const stats: VolumeStat[] = [];
  for (const pvc of store.list("v1", "PersistentVolumeClaim")) {
    const pv = pvc.spec?.volumeName;
    if (pvc.status?.phase !== "Bound" || typeof pv !== "string" || !pv) continue;
    const measured = usage(pv);
    if (!measured) continue;
    stats.push({
      namespace: pvc.metadata.namespace ?? "",
      persistentvolumeclaim: pvc.metadata.name ?? "",
      persistentVolume: pv,
      usage: measured,
    });
  }
  return stats;
}

/**
 * The kubelet_volume_stats_* families in the text exposition format 0.0.4: families sorted by name, series by
 * namespace and claim, no timestamps (as the kubelet serves them). Byte values are whatever `usage` holds (lab bytes).
 */
export function renderVolumeStats(stats: VolumeStat[]): string {
  const sorted = [...stats].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.persistentvolumeclaim.localeCompare(b.persistentvolumeclaim),
  );
  let text = "";
  for (const [name, help, value] of VOLUME_STATS) {
    text += `# HELP ${name} [ALPHA] ${escapeHelp(help)}\n# TYPE ${name} gauge\n`;
    for (const s of sorted)
      text += `${name}{namespace="${escapeLabel(s.namespace)}",persistentvolumeclaim="${escapeLabel(s.persistentvolumeclaim)}"} ${formatValue(value(s.usage))}\n`;
  }
  return text;
}

/**
 * vCluster's `translate.SafeConcatName`: the parts joined with "-"; over 63 characters, the first 52 + "-" + the first
 * 10 hex characters of sha256(joined), with any ".-" then replaced by "-".
 */
export function safeConcatName(...parts: string[]): string {
  const full = parts.join("-");
  if (full.length <= 63) return full;
  const digest = createHash("sha256").update(full).digest("hex");
  return `${full.slice(0, 52)}-${digest.slice(0, 10)}`.replaceAll(".-", "-");
}

/**
 * The name vCluster (single-namespace sync, `PhysicalName`) gives a claim `<pvc>` of virtual namespace `<namespace>`
 * in the host namespace `vcluster-<vcluster>`: `<pvc>-x-<namespace>-x-<vcluster>`, shortened by `safeConcatName`.
 */
export function hostPvcName(vcluster: string, namespace: string, pvc: string): string {
  return safeConcatName(pvc, "x", namespace, "x", vcluster);
}

/** The host namespace a vCluster (and every object it syncs) lives in. */
export function hostNamespace(vcluster: string): string {
  return `vcluster-${vcluster}`;
}

/**
 * Parses the Prometheus text exposition format (0.0.4): samples only (HELP/TYPE and other comments are skipped).
 * Throws on a malformed line.
 */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  const lines = text.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] ?? "").trim();
    if (!line || line.startsWith("#")) continue;
    const fail = (why: string): never => {
      throw new Error(`prometheus text line ${n + 1}: ${why}: ${line}`);
    };
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) fail("no metric name");
    const name = nameMatch?.[0] ?? "";
    let i = name.length;
    const labels: Record<string, string> = {};
    const skipSpaces = () => {
      while (line[i] === " " || line[i] === "\t") i++;
    };
    skipSpaces();
    if (line[i] === "{") {
      i++;
      for (;;) {
        skipSpaces();
        if (line[i] === "}") {
          i++;
          break;
        }
        const key = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i))?.[0];
        if (!key) fail("bad label name");
        i += key?.length ?? 0;
        skipSpaces();
        if (line[i] !== "=") fail("expected =");
        i++;
        skipSpaces();
        if (line[i] !== '"') fail("expected a quoted label value");
        i++;
        let value = "";
        for (;;) {
          const c = line[i];
          if (c === undefined) fail("unterminated label value");
          i++;
          if (c === '"') break;
          if (c === "\\") {
            const e = line[i++];
            value += e === "n" ? "\n" : e === "\\" ? "\\" : e === '"' ? '"' : `\\${e ?? ""}`;
          } else value += c;
        }
        labels[key ?? ""] = value;
        skipSpaces();
        if (line[i] === ",") i++;
        else if (line[i] !== "}") fail("expected , or }");
      }
    }
    const rest = line
      .slice(i)
      .trim()
      .split(/[ \t]+/);
    const value = parseValue(rest[0] ?? "");
    if (value === undefined) fail("bad value");
    const sample: PrometheusSample = { name, labels, value: value ?? NaN };
    if (rest[1] !== undefined) {
      const ts = Number(rest[1]);
      if (!Number.isInteger(ts)) fail("bad timestamp");
      sample.timestamp = ts;
    }
    if (rest.length > 2) fail("trailing text");
    samples.push(sample);
  }
  return samples;
}

function parseValue(text: string): number | undefined {
  if (text === "NaN") return NaN;
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function formatValue(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}
