import type { Database } from "../../db/client.js";
import { batchLoader } from "../../kernel/batch.js";
import { CapacityRepository } from "./capacity.repository.js";
import { FORECAST_WINDOW_MS } from "./storage-worker-agent.js";

export interface VolumeUsageView {
  usedBytes: number;
  capacityBytes: number;
  percent: number;
  sampledAt: Date;
  estimatedFullAt: Date | null;
}

export class MonitoringService {
  constructor(private readonly db: Database) {}

  /** A per-request loader: every volume of a page gets its usage from one query, one row per volume. */
  usageLoader() {
    return batchLoader<string, VolumeUsageView>(async (volumeIds) => {
      const now = new Date();
      // A volume no cycle has read for the forecast window (its claim is gone) shows no usage, as before.
      const rows = await new CapacityRepository(this.db).latest(volumeIds, new Date(now.getTime() - FORECAST_WINDOW_MS));
      const out = new Map<string, VolumeUsageView>();
      for (const row of rows) {
        out.set(row.volumeId, {
          usedBytes: row.usedBytes,
          capacityBytes: row.capacityBytes,
          percent: row.capacityBytes ? Math.round((row.usedBytes / row.capacityBytes) * 1000) / 10 : 0,
          sampledAt: row.sampledAt,
          // Forecast at the last cycle; a moment already past means "full now".
          estimatedFullAt: row.estimatedFullAt && row.estimatedFullAt < now ? now : row.estimatedFullAt,
        });
      }
      return out;
    });
  }

  history(volumeId: string, hours: number) {
    return new CapacityRepository(this.db).history(volumeId, new Date(Date.now() - Math.min(Math.max(hours, 1), 24 * 31) * 3600 * 1000));
  }
}
