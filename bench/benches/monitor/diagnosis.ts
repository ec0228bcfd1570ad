/** Why a monitor bench cycle sampled fewer volumes than it should: the scrapes, the series and the claims per vCluster. */
import type { Watches } from "../../../apps/server/src/modules/cluster-watches.js";
import { VOLUME_STATS_QUERY } from "../../../apps/server/src/modules/monitoring/storage-worker-agent.js";
import type { RunningPrometheus } from "../../lib/prometheus.js";

export async function whyMissing(prometheus: RunningPrometheus, watches: Watches): Promise<string> {
  const byVCluster = async (promql: string) =>
    Object.fromEntries((await prometheus.query(promql)).map((r) => [r.metric["vcluster"] ?? "?", Number(r.value[1])]));
  const [up, seconds, series] = await Promise.all([
    byVCluster("up"),
    byVCluster("scrape_duration_seconds"),
    byVCluster(`count by (vcluster) (${VOLUME_STATS_QUERY})`),
  ]).catch((error: unknown) => [String(error), "", ""]);
  const claims = Object.fromEntries(watches.names().map((name) => [name, watches.get(name)?.list("volumes").length ?? 0]));
  return `scrapes up ${JSON.stringify(up)}, last scrape seconds ${JSON.stringify(seconds)}, series ${JSON.stringify(series)}, PVs watched ${JSON.stringify(claims)}`;
}
