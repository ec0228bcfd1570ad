import { hostNamespace, hostPvcName } from "../../platform/kubernetes/vcluster-names.js";
import type { Sample } from "../../platform/prometheus/exposition.js";
import type { MonitoredVolume } from "./capacity.repository.js";
import type { ClaimRef } from "./volume-claims.js";

const USED = "kubelet_volume_stats_used_bytes";
const CAPACITY = "kubelet_volume_stats_capacity_bytes";
const NAMES = `__name__=~"${USED}|${CAPACITY}"`;

/** Every volume's usage from one PromQL query per cycle, however many volumes and workspaces there are. */
export const VOLUME_STATS_QUERY = `{${NAMES}}`;

/**
 * The cycle's one query, narrowed to these vClusters when the workspaces are sharded: their series scraped through the
 * vCluster (a `vcluster` label) or from the host kubelet (no such label, in the vCluster's host namespace). Undefined
 * when there is nothing to ask for. Without a list (unsharded), every series.
 */
export function volumeStatsQuery(vclusters?: string[]): string | undefined {
  if (!vclusters) return VOLUME_STATS_QUERY;
  if (!vclusters.length) return undefined;
  const names = [...new Set(vclusters)].sort();
  const any = (values: string[]) => values.map(escapeRegex).join("|");
  return `{${NAMES},vcluster=~"${any(names)}"} or {${NAMES},vcluster="",namespace=~"${any(names.map(hostNamespace))}"}`;
}

/** RE2 metacharacters escaped, then escaped again for the PromQL string the regex sits in. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\/g, "\\\\");
}

export interface SampledVolume {
  volume: MonitoredVolume;
  usedBytes: number;
  capacityBytes: number;
}

interface Slot {
  used?: number;
  capacity?: number;
}

/** The name vCluster syncs a claim to on the host, kept with the claim (the PV watches keep one ClaimRef per bound PV). */
const hostNames = new WeakMap<ClaimRef, { vcluster: string; name: string }>();
function hostName(vcluster: string, claim: ClaimRef): string {
  const known = hostNames.get(claim);
  if (known?.vcluster === vcluster) return known.name;
  const name = hostPvcName(vcluster, claim.namespace, claim.name);
  hostNames.set(claim, { vcluster, name });
  return name;
}

/**
 * Where each volume's series will land, built while Prometheus is still answering: the claim bound to the volume under
 * its virtual name (series scraped through the vCluster carry a `vcluster` label: two vClusters may both have a
 * shop/data claim) and under the name vCluster syncs it to on the host. Then one pass over the series fills the slots,
 * looked up by vcluster, namespace and claim in turn (no key built per series).
 */
export class VolumeStatsIndex {
  private readonly slots = new Map<string, Map<string, Map<string, Slot>>>();
  private readonly volumes: Array<{ volume: MonitoredVolume; virtual: Slot; host: Slot }> = [];

  constructor(volumes: MonitoredVolume[], claims: Map<string, Map<string, ClaimRef>>) {
    for (const volume of volumes) {
      const claim = claims.get(volume.vclusterName)?.get(volume.persistentVolumeName);
      if (!claim) continue; // not mounted anywhere: nothing writes to it, and no kubelet reports it
      const virtual: Slot = {};
      const host: Slot = {};
      this.place(volume.vclusterName, claim.namespace, claim.name, virtual);
      this.place("", hostNamespace(volume.vclusterName), hostName(volume.vclusterName, claim), host);
      this.volumes.push({ volume, virtual, host });
    }
  }

  private place(vcluster: string, namespace: string, pvc: string, slot: Slot): void {
    let namespaces = this.slots.get(vcluster);
    if (!namespaces) this.slots.set(vcluster, (namespaces = new Map<string, Map<string, Slot>>()));
    let claims = namespaces.get(namespace);
    if (!claims) namespaces.set(namespace, (claims = new Map<string, Slot>()));
    claims.set(pvc, slot);
  }

  /** The volumes whose used and capacity series both came back (the vCluster's names first, else the host's). */
  sample(series: Sample[]): SampledVolume[] {
    for (const s of series) {
      const { labels } = s;
      const namespace = labels["namespace"];
      const pvc = labels["persistentvolumeclaim"];
      if (!namespace || !pvc || !Number.isFinite(s.value)) continue;
      const slot = this.slots
        .get(labels["vcluster"] ?? "")
        ?.get(namespace)
        ?.get(pvc);
      if (!slot) continue;
      if (s.name === USED) slot.used = s.value;
      else if (s.name === CAPACITY) slot.capacity = s.value;
    }
    const sampled: SampledVolume[] = [];
    for (const { volume, virtual, host } of this.volumes) {
      const stats = virtual.used !== undefined || virtual.capacity !== undefined ? virtual : host;
      if (stats.used === undefined || stats.capacity === undefined) continue;
      sampled.push({ volume, usedBytes: Math.round(stats.used), capacityBytes: Math.round(stats.capacity) });
    }
    return sampled;
  }
}
