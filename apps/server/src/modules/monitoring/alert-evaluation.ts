import type { Database } from "../../db/client.js";
import { AgentEventRepository } from "../assistant/agent-events.repository.js";
import { fencedBy, LeaseLostError, type WorkspaceFence, type WorkspaceShare } from "../workspaces/workspace-share.js";
import { decide } from "./alert-policy.js";
import { BACKUP_FORECAST_HORIZON_MS, TREND_FORECAST_HORIZON_MS } from "./capacity-policy.js";
import { CapacityAlertRepository } from "./capacity-alert.repository.js";
import type { MonitoredVolume, UsageRecord } from "./capacity.repository.js";

interface AlertDeps {
  db: Database;
  /** Sharded: each alert change is written under the workspace's lease (a lapsed lease writes nothing). */
  share?: WorkspaceShare;
  onAlertChanged?: (workspaceId: string, volumeId: string) => void;
  /** Told the volume's open alert as written (null once cleared), for the cycle's memory of its volumes. */
  onAlertWritten?: (volumeId: string, alert: MonitoredVolume["openAlert"]) => void;
}

/**
 * Raises, escalates and clears capacity alerts, and hands each change to the OrchestrationAgent; returns how many
 * alerts changed. Open alerts whose figures moved are refreshed together, in one statement.
 */
export async function evaluateAlerts(
  deps: AlertDeps,
  sampled: Array<{ volume: MonitoredVolume }>,
  usages: UsageRecord[],
  now: Date,
  fences: WorkspaceFence[] | undefined,
): Promise<number> {
  const alerts = new CapacityAlertRepository(deps.db);
  const events = new AgentEventRepository(deps.db);
  const refreshed: Array<
    Parameters<CapacityAlertRepository["updateFigures"]>[0][number] & {
      sample: { workspaceId: string; volumeId: string };
      open: NonNullable<MonitoredVolume["openAlert"]>;
    }
  > = [];
  let changes = 0;
  for (let i = 0; i < sampled.length; i++) {
    const { volume } = sampled[i]!;
    const usage = usages[i]!;
    const sample: { workspaceId: string; volumeId: string } = { workspaceId: volume.workspaceId, volumeId: volume.volumeId };
    const percent = usage.capacityBytes ? (usage.usedBytes / usage.capacityBytes) * 100 : 0;
    const { estimatedFullAt } = usage;
    const threshold = volume.thresholdPercent;
    const open = volume.openAlert;
    const forecastHorizonMs = usage.forecastSource === "BACKUPS" ? BACKUP_FORECAST_HORIZON_MS : TREND_FORECAST_HORIZON_MS;
    const decision = decide({ percent, threshold, estimatedFullAt, now, open: open?.level, forecastHorizonMs });
    if (decision.action === "none") continue;
    const figures = {
      percent: Math.round(percent * 10) / 10,
      usedBytes: usage.usedBytes,
      capacityBytes: usage.capacityBytes,
      estimatedFullAt,
    };
    if (decision.action === "update") {
      // Quiet refreshes of open alerts go out together, and only when the figures moved.
      if (!sameFigures(open!, figures)) refreshed.push({ id: open!.id, ...figures, sample, open: open! });
      continue;
    }
    let written: MonitoredVolume["openAlert"] = null;
    const changed = await deps.db
      .transaction(async (tx) => {
        await fencedBy(deps.share, sample.workspaceId, tx);
        if (decision.action === "raise") {
          const alert = await alerts.insert(
            {
              workspaceId: sample.workspaceId,
              volumeId: sample.volumeId,
              state: "OPEN",
              level: decision.level,
              thresholdPercent: threshold,
              raisedAt: now,
              ...figures,
            },
            tx,
          );
          written = { id: alert.id, level: decision.level, ...figures };
          await handOff(events, tx, alert.id, sample, "CAPACITY_FLAGGED", `alert:${alert.id}:${decision.level}`, {
            level: decision.level,
            threshold,
            ...figures,
            forecastSource: usage.forecastSource,
            forecastFailure: usage.forecastFailure,
          });
        } else if (decision.action === "escalate") {
          await alerts.update(open!.id, { level: decision.level, escalatedAt: now, ...figures }, tx);
          written = { id: open!.id, level: decision.level, ...figures };
          await handOff(events, tx, open!.id, sample, "CAPACITY_FLAGGED", `alert:${open!.id}:${decision.level}`, {
            level: decision.level,
            threshold,
            ...figures,
            forecastSource: usage.forecastSource,
            forecastFailure: usage.forecastFailure,
          });
        } else {
          await alerts.update(open!.id, { state: "RESOLVED", resolvedAt: now, ...figures }, tx);
          await handOff(events, tx, open!.id, sample, "CAPACITY_CLEARED", `alert:${open!.id}:cleared`, { threshold, ...figures });
        }
        return true;
      })
      // The workspace moved to another replica meanwhile: it decides about the alert from its own cycle.
      .catch((error: unknown) => {
        if (error instanceof LeaseLostError) return false;
        throw error;
      });
    if (!changed) continue;
    deps.onAlertWritten?.(sample.volumeId, written);
    changes++;
    deps.onAlertChanged?.(sample.workspaceId, sample.volumeId);
  }
  await alerts.updateFigures(refreshed, fences);
  for (const { sample, open, percent, usedBytes, capacityBytes, estimatedFullAt } of refreshed) {
    deps.onAlertWritten?.(sample.volumeId, { ...open, percent, usedBytes, capacityBytes, estimatedFullAt });
    deps.onAlertChanged?.(sample.workspaceId, sample.volumeId);
  }
  return changes;
}

function handOff(
  events: AgentEventRepository,
  tx: Database,
  alertId: string,
  sample: { workspaceId: string; volumeId: string },
  kind: string,
  dedupeKey: string,
  figures: Record<string, unknown>,
) {
  return events.send(
    {
      workspaceId: sample.workspaceId,
      fromAgent: "STORAGE_WORKER",
      toAgent: "ORCHESTRATION",
      kind,
      dedupeKey,
      payload: { alertId, volumeId: sample.volumeId, ...figures },
    },
    tx,
  );
}

function sameFigures(a: { percent: number; usedBytes: number; capacityBytes: number; estimatedFullAt: Date | null }, b: typeof a): boolean {
  return (
    a.percent === b.percent &&
    a.usedBytes === b.usedBytes &&
    a.capacityBytes === b.capacityBytes &&
    a.estimatedFullAt?.getTime() === b.estimatedFullAt?.getTime()
  );
}
