import { hostNamespace, hostPvcName } from "../../platform/kubernetes/vcluster-names.js";
import type { MetricsSource } from "../../platform/prometheus/client.js";

/**
 * What a claim of an application holds, as the kubelet reports it to the StorageWorkerAgent (in lab units on the
 * lab): under its virtual name when scraped through the vCluster, or the name vCluster syncs it to on the host.
 */
export async function claimUsedBytes(
  metrics: MetricsSource | undefined,
  claim: { vcluster: string; namespace: string; name: string },
): Promise<number | undefined> {
  if (!metrics) return undefined;
  const series = await metrics.instant('{__name__=~"kubelet_volume_stats_used_bytes"}').catch(() => []);
  const host = { namespace: hostNamespace(claim.vcluster), name: hostPvcName(claim.vcluster, claim.namespace, claim.name) };
  const found =
    series.find(
      (s) =>
        s.labels["persistentvolumeclaim"] === claim.name &&
        s.labels["namespace"] === claim.namespace &&
        (s.labels["vcluster"] ?? claim.vcluster) === claim.vcluster,
    ) ??
    series.find(
      (s) => s.labels["persistentvolumeclaim"] === host.name && s.labels["namespace"] === host.namespace && !s.labels["vcluster"],
    );
  return found && Number.isFinite(found.value) ? Math.round(found.value) : undefined;
}
