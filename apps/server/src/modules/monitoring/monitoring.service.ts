import type { Database } from "../../db/client.js";
import { batchLoader } from "../../graphql/batch.js";
import { CapacityRepository, type CapacitySample } from "./capacity.repository.js";
import { estimateFullAt } from "./forecast.js";
import { sinceLastResize } from "./storage-worker-agent.js";

/** How far back the forecast looks, like `predict_linear(...[6h], ...)`. */
const FORECAST_WINDOW_MS = 6 * 3600 * 1000;

export interface VolumeUsageView {
  usedBytes: number;
  capacityBytes: number;
  percent: number;
  sampledAt: Date;
  estimatedFullAt: Date | null;
}

export class MonitoringService {
  constructor(private readonly db: Database) {}

  /** A per-request loader: every volume of a page gets its usage from one query. */
  usageLoader() {
    return batchLoader<string, VolumeUsageView>(async (volumeIds) => {
      const since = new Date(Date.now() - FORECAST_WINDOW_MS);
      const rows = await new CapacityRepository(this.db).recent(volumeIds, since);
      const byVolume = new Map<string, CapacitySample[]>();
      for (const row of rows) byVolume.set(row.volumeId, [...(byVolume.get(row.volumeId) ?? []), row]);
      const out = new Map<string, VolumeUsageView>();
      for (const [volumeId, samples] of byVolume) {
        const last = samples.at(-1)!;
        out.set(volumeId, {
          usedBytes: last.usedBytes,
          capacityBytes: last.capacityBytes,
          percent: last.capacityBytes ? Math.round((last.usedBytes / last.capacityBytes) * 1000) / 10 : 0,
          sampledAt: last.at,
          estimatedFullAt: estimateFullAt(sinceLastResize(samples, last), last.capacityBytes),
        });
      }
      return out;
    });
  }

  history(volumeId: string, hours: number) {
    return new CapacityRepository(this.db).history(volumeId, new Date(Date.now() - Math.min(Math.max(hours, 1), 24 * 31) * 3600 * 1000));
  }
}
