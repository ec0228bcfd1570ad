import { describe, expect, it } from "vitest";
import type { MonitoredVolume } from "./capacity.repository.js";
import { VOLUME_STATS_QUERY, volumeStatsQuery, VolumeStatsIndex } from "./volume-stats.js";

const volume = (id: string, vclusterName: string, persistentVolumeName: string): MonitoredVolume => ({
  volumeId: id,
  workspaceId: `ws-${vclusterName}`,
  persistentVolumeName,
  vclusterName,
  thresholdPercent: 85,
  usage: null,
  forecast: null,
  openAlert: null,
});
const stats = (labels: Record<string, string>, used: number, capacity: number) => [
  { name: "kubelet_volume_stats_used_bytes", labels, value: used },
  { name: "kubelet_volume_stats_capacity_bytes", labels, value: capacity },
];
const claims = (entries: Array<[string, string, string, string]>) => {
  const byVCluster = new Map<string, Map<string, { namespace: string; name: string }>>();
  for (const [vcluster, pv, namespace, name] of entries) {
    if (!byVCluster.has(vcluster)) byVCluster.set(vcluster, new Map());
    byVCluster.get(vcluster)!.set(pv, { namespace, name });
  }
  return byVCluster;
};

describe("the volume stats query", () => {
  it("asks for every series unsharded, nothing for an empty share, and only the held vClusters' series otherwise", () => {
    expect(volumeStatsQuery()).toBe(VOLUME_STATS_QUERY);
    expect(volumeStatsQuery([])).toBeUndefined();
    const q = volumeStatsQuery(["b", "a.x", "a.x"])!;
    expect(q).toContain('vcluster=~"a\\\\.x|b"');
    expect(q).toContain('vcluster="",namespace=~"vcluster-a\\\\.x|vcluster-b"');
  });
});

describe("the volume stats index", () => {
  it("maps series to volumes by vCluster and claim, the vCluster's names before the host's", () => {
    const index = new VolumeStatsIndex();
    index.update(
      [volume("1", "acme", "pv-1"), volume("2", "globex", "pv-2"), volume("3", "acme", "pv-unbound")],
      claims([
        ["acme", "pv-1", "shop", "data"],
        ["globex", "pv-2", "shop", "data"],
      ]),
    );
    const sampled = index.sample([
      ...stats({ vcluster: "acme", namespace: "shop", persistentvolumeclaim: "data" }, 1, 10),
      ...stats({ namespace: "vcluster-acme", persistentvolumeclaim: "data-x-shop-x-acme" }, 2, 10),
      ...stats({ namespace: "vcluster-globex", persistentvolumeclaim: "data-x-shop-x-globex" }, 3, 10),
    ]);
    expect(sampled.map((s) => [s.volume.volumeId, s.usedBytes])).toEqual([
      ["1", 1],
      ["2", 3],
    ]);
  });

  it("follows a volume to its new claim and forgets the last cycle's figures", () => {
    const index = new VolumeStatsIndex();
    const v = volume("1", "acme", "pv-1");
    index.update([v], claims([["acme", "pv-1", "shop", "data"]]));
    expect(index.sample(stats({ vcluster: "acme", namespace: "shop", persistentvolumeclaim: "data" }, 5, 10))).toHaveLength(1);
    // Same claim, no series this time: nothing carried over from the cycle before.
    index.update([v], claims([["acme", "pv-1", "shop", "data"]]));
    expect(index.sample([])).toEqual([]);
    // Rebound to another claim: only the new claim's series count.
    index.update([v], claims([["acme", "pv-1", "web", "files"]]));
    expect(index.sample(stats({ vcluster: "acme", namespace: "shop", persistentvolumeclaim: "data" }, 5, 10))).toEqual([]);
    index.update([v], claims([["acme", "pv-1", "web", "files"]]));
    expect(
      index.sample(stats({ vcluster: "acme", namespace: "web", persistentvolumeclaim: "files" }, 7, 10)).map((s) => s.usedBytes),
    ).toEqual([7]);
    // A volume gone from the cycle is not sampled, though its series still come.
    index.update([], claims([["acme", "pv-1", "web", "files"]]));
    expect(index.sample(stats({ vcluster: "acme", namespace: "web", persistentvolumeclaim: "files" }, 7, 10))).toEqual([]);
  });
});
