import type { Database } from "../../db/client.js";
import { batchLoader } from "../../kernel/batch.js";
import { CapacityRepository } from "./capacity.repository.js";
import { backupWriters } from "./backup-writers.repository.js";
import { project } from "./projection.js";
import { FORECAST_WINDOW_MS } from "./storage-worker-agent.js";

export interface VolumeUsageView {
  volumeId: string;
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
          volumeId: row.volumeId,
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

  /** The volume's projected usage from its last sample, computed on demand (one volume, one query for its Backups). */
  async projection(usage: VolumeUsageView, now = new Date()) {
    const backups = (await backupWriters(this.db, [usage.volumeId], now)).get(usage.volumeId) ?? [];
    const byId = new Map(backups.map((b) => [b.id, b]));
    const projection = project({ capacityBytes: usage.capacityBytes, usedBytes: usage.usedBytes, now, backups });
    const nameOf = (id: string) => byId.get(id)?.name ?? "";
    return {
      evidence: projection.evidence,
      steps: projection.steps.map((step) => {
        const backup = byId.get(step.backupId);
        return {
          ...step,
          backupName: nameOf(step.backupId),
          source:
            step.kind === "RUN"
              ? `${backup?.name ?? ""} backup of ${backup?.application ?? ""}`
              : `prune (${retentionWords(backup?.retention)})`,
        };
      }),
      firstFailure: projection.firstFailure ? { ...projection.firstFailure, backupName: nameOf(projection.firstFailure.backupId) } : null,
      plateauBytes: projection.plateauBytes ?? null,
    };
  }

  history(volumeId: string, hours: number) {
    return new CapacityRepository(this.db).history(volumeId, new Date(Date.now() - Math.min(Math.max(hours, 1), 24 * 31) * 3600 * 1000));
  }
}

/** "keep-last 7, keep-daily 14": the rules as the Backups section writes them. */
function retentionWords(retention: object | undefined): string {
  const rules = Object.entries((retention ?? {}) as Record<string, number | null | undefined>)
    .filter(([, n]) => n)
    .map(([rule, n]) => `${rule.replace(/^keep/, "keep-").toLowerCase()} ${n}`);
  return rules.join(", ") || "retention";
}
