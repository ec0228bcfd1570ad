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

interface Placed {
  vcluster: string;
  persistentVolumeName: string;
  namespace: string;
  claim: string;
  virtual: Slot;
  host: Slot;
}

/**
 * Where each volume's series land: the claim bound to the volume under its virtual name (series scraped through the
 * vCluster carry a `vcluster` label: two vClusters may both have a shop/data claim) and under the name vCluster syncs it
 * to on the host. Kept from cycle to cycle and rebuilt only when a volume or its claim changed, since they rarely do;
 * one pass over the series then fills the slots, looked up by vcluster, namespace and claim in turn (no key built per
 * series).
 */
export class VolumeStatsIndex {
  private slots = new Map<string, Map<string, Map<string, Slot>>>();
  private placed = new Map<string, Placed>();
  private current: Array<{ volume: MonitoredVolume; at: Placed }> = [];

  /** The cycle's volumes and the claims bound to them (volumes with no claim are mounted nowhere: nothing to read). */
  update(volumes: MonitoredVolume[], claims: Map<string, Map<string, ClaimRef>>): void {
    const current: Array<{ volume: MonitoredVolume; at: Placed }> = [];
    let changed = false;
    for (const volume of volumes) {
      const claim = claims.get(volume.vclusterName)?.get(volume.persistentVolumeName);
      if (!claim) continue;
      let at = this.placed.get(volume.volumeId);
      if (
        !at ||
        at.vcluster !== volume.vclusterName ||
        at.persistentVolumeName !== volume.persistentVolumeName ||
        at.namespace !== claim.namespace ||
        at.claim !== claim.name
      ) {
        changed = true;
        at = {
          vcluster: volume.vclusterName,
          persistentVolumeName: volume.persistentVolumeName,
          namespace: claim.namespace,
          claim: claim.name,
          virtual: {},
          host: {},
        };
      } else {
        at.virtual.used = at.virtual.capacity = at.host.used = at.host.capacity = undefined;
      }
      current.push({ volume, at });
    }
    this.current = current;
    if (!changed && current.length === this.placed.size) return;
    this.placed = new Map(current.map((c) => [c.volume.volumeId, c.at]));
    this.slots = new Map();
    for (const { at } of current) {
      this.place(at.vcluster, at.namespace, at.claim, at.virtual);
      this.place("", hostNamespace(at.vcluster), hostPvcName(at.vcluster, at.namespace, at.claim), at.host);
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
    for (const { volume, at } of this.current) {
      const { virtual, host } = at;
      const stats = virtual.used !== undefined || virtual.capacity !== undefined ? virtual : host;
      if (stats.used === undefined || stats.capacity === undefined) continue;
      sampled.push({ volume, usedBytes: Math.round(stats.used), capacityBytes: Math.round(stats.capacity) });
    }
    return sampled;
  }
}
