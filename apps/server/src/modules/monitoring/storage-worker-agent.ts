import type { Database } from "../../db/client.js";
import type { Logger } from "../../logger.js";
import { unobserved, type CycleObserver } from "../../observability/metrics.js";
import { hostNamespace, hostPvcName } from "../../platform/kubernetes/vcluster-names.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { MetricsSource } from "../../platform/prometheus/client.js";
import type { Sample } from "../../platform/prometheus/exposition.js";
import type { WorkspaceRepository } from "../workspaces/workspace.repository.js";
import type { WorkspaceShare } from "../workspaces/workspace-share.js";
import { AgentEventRepository } from "../assistant/agent-events.repository.js";
import { decide } from "./alert-policy.js";
import { backupWriters } from "./backup-writers.repository.js";
import { BACKUP_FORECAST_HORIZON_MS, forecastFull, TREND_FORECAST_HORIZON_MS, type Forecast } from "./capacity-policy.js";
import { CapacityAlertRepository } from "./capacity-alert.repository.js";
import { CapacityRepository, type MonitoredVolume, type UsageRecord } from "./capacity.repository.js";
import { addSample, moveOrigin, removeSample, startTrend, type Trend } from "./forecast.js";
import { project } from "./projection.js";
import type { Watches } from "../cluster-watches.js";
import { forecastChanged, listedClaims, VolumeClaims } from "./volume-claims.js";

/** Every volume's usage from one PromQL query per cycle, however many volumes and workspaces there are. */
export const VOLUME_STATS_QUERY = '{__name__=~"kubelet_volume_stats_used_bytes|kubelet_volume_stats_capacity_bytes"}';

/** How far back the forecast looks, like `predict_linear(...[6h], ...)`. */
export const FORECAST_WINDOW_MS = 6 * 3600 * 1000;

/** A volume whose usage has not moved is written again only this long after its last sample (the chart and the trend). */
export const REWRITE_UNCHANGED_MS = 5 * 60_000;

export interface CycleResult {
  volumes: number;
  sampled: number;
  /** Volumes whose sample and usage row this cycle wrote: those whose usage moved, or unwritten for a while. */
  written: number;
  queries: number;
  /** Alerts raised, escalated or cleared in this cycle. */
  alerts: number;
  /** Where the cycle's time went: reading (PromQL, database and PV lists, at once), trends and writes, alerts. */
  timings: { readMs: number; computeMs: number; writeMs: number; alertsMs: number };
}

/**
 * The StorageWorkerAgent of spec 5: reads PVC usage from Prometheus (or the kubelet endpoints directly),
 * maps each series to a Storage Volume through the volume's PV and the claim bound to it (under its
 * virtual name, or the name vCluster syncs it to on the host), and records a capacity sample.
 */
export class StorageWorkerAgent {
  private timer?: NodeJS.Timeout;
  private running?: Promise<CycleResult | undefined>;
  private lastPrune = 0;
  private readonly claims?: VolumeClaims;

  constructor(
    private readonly deps: {
      db: Database;
      vclusters: VClusters;
      /** Not read any more (one query brings the volumes with their workspaces); accepted so callers need not change. */
      workspaces?: WorkspaceRepository;
      metrics: MetricsSource;
      logger: Logger;
      now?: () => Date;
      /** Told after an alert of the workspace changed (for the live alert subscription). */
      onAlertChanged?: (workspaceId: string, volumeId: string) => void;
      /** Times and counts each cycle (the server's metrics). */
      observeCycle?: CycleObserver;
      /** The PVs by watch (claims mapped to volumes from events); without it each cycle lists every vCluster's PVs. */
      watches?: Watches;
      /** How long an unchanged volume goes unwritten (default REWRITE_UNCHANGED_MS). */
      rewriteUnchangedMs?: number;
      /** With several replicas: a cycle samples only the volumes of the workspaces this replica holds the lease on. */
      share?: WorkspaceShare;
    },
  ) {
    if (deps.watches) this.claims = new VolumeClaims(deps.watches);
  }

  start(intervalMs: number): void {
    this.timer = setInterval(
      () => void this.cycle().catch((error: unknown) => this.deps.logger.warn("monitoring cycle failed", { error: String(error) })),
      intervalMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One monitoring cycle; overlapping calls share the one in progress. */
  cycle(): Promise<CycleResult | undefined> {
    this.running ??= (this.deps.observeCycle ?? unobserved)(() => this.runCycle()).finally(() => (this.running = undefined));
    return this.running;
  }

  private async runCycle(): Promise<CycleResult> {
    const at = this.deps.now?.() ?? new Date();
    const capacity = new CapacityRepository(this.deps.db);
    const t0 = performance.now();
    // The PromQL query, the database and the vClusters' PV lists are independent: all asked at once.
    const { share } = this.deps;
    const ownedVClusters = share && new Set(share.owned().map((f) => f.vclusterName));
    const [series, volumes, claims] = await Promise.all([
      this.deps.metrics.instant(VOLUME_STATS_QUERY),
      capacity.monitored().then((all) => (share ? all.filter((v) => share.fence(v.workspaceId)) : all)),
      capacity.monitoredVClusters().then(async (every) => {
        const names = ownedVClusters ? every.filter((name) => ownedVClusters.has(name)) : every;
        if (this.claims) {
          const { claims, unreachable } = await this.claims.of(names);
          if (unreachable.length) this.deps.logger.warn("volumes of unreachable vClusters left out of the cycle", { unreachable });
          return claims;
        }
        const lists = await Promise.all(names.map((name) => listedClaims(this.deps.vclusters.forName(name))));
        return new Map(names.map((name, i) => [name, lists[i]!]));
      }),
    ]);
    const t1 = performance.now();
    const index = indexSeries(series);
    const sampled: Array<{ volume: MonitoredVolume; usedBytes: number; capacityBytes: number }> = [];
    for (const volume of volumes) {
      const claim = claims.get(volume.vclusterName)?.get(volume.persistentVolumeName);
      if (!claim) continue; // not mounted anywhere: nothing writes to it, and no kubelet reports it
      const stats =
        index.get(key(volume.vclusterName, claim.namespace, claim.name)) ??
        index.get(key("", hostNamespace(volume.vclusterName), hostPvcName(volume.vclusterName, claim.namespace, claim.name)));
      if (!stats || stats.used === undefined || stats.capacity === undefined) continue;
      sampled.push({ volume, usedBytes: Math.round(stats.used), capacityBytes: Math.round(stats.capacity) });
    }

    const usages = await this.trends(capacity, sampled, at);
    const t2 = performance.now();
    // Unmoved volumes are not written: the trend carried in their row goes on from the last sample written.
    const rewriteAfter = this.deps.rewriteUnchangedMs ?? REWRITE_UNCHANGED_MS;
    const moved = usages.filter((u, i) => {
      const { usage: last, forecast } = sampled[i]!.volume;
      return (
        !last ||
        last.usedBytes !== u.usedBytes ||
        last.capacityBytes !== u.capacityBytes ||
        at.getTime() - last.sampledAt.getTime() >= rewriteAfter ||
        forecastChanged(forecast, u)
      );
    });
    await capacity.record(at, moved);
    if (at.getTime() - this.lastPrune > 3600_000) {
      // The chart shows a month at most; older samples only cost space.
      await capacity.prune(new Date(at.getTime() - 31 * 24 * 3600_000));
      this.lastPrune = at.getTime();
    }
    const t3 = performance.now();
    const alerts = await this.evaluate(sampled, usages, at);
    const timings = { readMs: t1 - t0, computeMs: t2 - t1, writeMs: t3 - t2, alertsMs: performance.now() - t3 };
    return { volumes: volumes.length, sampled: sampled.length, written: moved.length, queries: 1, alerts, timings };
  }

  /**
   * Each sampled volume's trend over the forecast window, carried forward from its usage row: the new sample is added,
   * samples that left the window since the last cycle are taken out (one query for all of them), and a new capacity
   * (an expansion) starts the trend afresh, since growth before it says nothing about when the larger volume fills.
   */
  private async trends(
    capacity: CapacityRepository,
    sampled: Array<{ volume: MonitoredVolume; usedBytes: number; capacityBytes: number }>,
    at: Date,
  ): Promise<UsageRecord[]> {
    const windowStart = new Date(at.getTime() - FORECAST_WINDOW_MS);
    const carried = (s: (typeof sampled)[number]) => {
      const u = s.volume.usage;
      return u && u.capacityBytes === s.capacityBytes && u.sampledAt >= windowStart && u.sampledAt < at ? u : undefined;
    };
    // Volumes whose window slid past some of their samples: those samples leave the sums.
    const windowFrom = new Map<string, number>();
    for (const s of sampled) {
      const u = carried(s);
      if (u && u.windowFrom < windowStart) windowFrom.set(s.volume.volumeId, u.windowFrom.getTime());
    }
    const leaving = new Map<string, Array<{ at: Date; usedBytes: number }>>();
    // The Backups writing into the cycle's volumes, with their runs: one query for all of them.
    const writersQuery = backupWriters(
      this.deps.db,
      sampled.map((s) => s.volume.volumeId),
      at,
    );
    // Awaited below; a failure of the samples' query first must not leave this one's rejection unhandled.
    writersQuery.catch(() => undefined);
    if (windowFrom.size) {
      let from = Infinity;
      for (const t of windowFrom.values()) from = Math.min(from, t);
      for (const s of await capacity.leaving([...windowFrom.keys()], new Date(from), windowStart)) {
        if (s.at.getTime() < windowFrom.get(s.volumeId)!) continue;
        const list = leaving.get(s.volumeId) ?? [];
        list.push(s);
        leaving.set(s.volumeId, list);
      }
    }
    const writers = await writersQuery;
    return sampled.map((s) => {
      const u = carried(s);
      let trend: Trend;
      if (!u) trend = startTrend(at, s.usedBytes);
      else {
        trend = {
          origin: u.windowFrom,
          baseBytes: u.trendBaseBytes,
          samples: u.trendSamples,
          sumX: u.trendSumX,
          sumY: u.trendSumY,
          sumXY: u.trendSumXY,
          sumXX: u.trendSumXX,
        };
        for (const old of leaving.get(s.volume.volumeId) ?? []) trend = removeSample(trend, old);
        if (trend.origin < windowStart) trend = moveOrigin(trend, windowStart);
      }
      trend = addSample(trend, { at, usedBytes: s.usedBytes });
      const forecast = this.forecast(s, writers.get(s.volume.volumeId), trend, at);
      return {
        volumeId: s.volume.volumeId,
        workspaceId: s.volume.workspaceId,
        usedBytes: s.usedBytes,
        capacityBytes: s.capacityBytes,
        estimatedFullAt: forecast?.fullAt ?? null,
        forecastSource: forecast?.source ?? null,
        forecastFailure:
          forecast?.source === "BACKUPS"
            ? {
                at: forecast.failure.at.toISOString(),
                backupId: forecast.failure.backupId,
                label: forecast.failure.label,
                timeZone: writers.get(s.volume.volumeId)?.find((b) => b.id === forecast.failure.backupId)?.timeZone ?? "UTC",
                neededBytes: Math.round(forecast.failure.neededBytes),
                freeBytes: Math.round(forecast.failure.freeBytes),
              }
            : null,
        windowFrom: trend.origin,
        trendBaseBytes: trend.baseBytes,
        trendSamples: trend.samples,
        trendSumX: trend.sumX,
        trendSumY: trend.sumY,
        trendSumXY: trend.sumXY,
        trendSumXX: trend.sumXX,
      };
    });
  }

  /**
   * A volume Backups write into is forecast from their projection (their runs and prunes ahead), any other from its
   * usage trend; either only on evidence (see capacity-policy.ts), so a new volume with a run or two raises nothing.
   */
  private forecast(
    s: { usedBytes: number; capacityBytes: number },
    backups: Parameters<typeof project>[0]["backups"] | undefined,
    trend: Trend,
    at: Date,
  ): Forecast | null {
    const base = { capacityBytes: s.capacityBytes, usedBytes: s.usedBytes, now: at };
    if (backups?.length) return forecastFull({ ...base, projection: project({ ...base, backups }) });
    return forecastFull({ ...base, trend: { fit: trend, spanMs: at.getTime() - trend.origin.getTime() } });
  }

  /** Raises, escalates and clears capacity alerts, and hands each change to the OrchestrationAgent. */
  private async evaluate(sampled: Array<{ volume: MonitoredVolume }>, usages: UsageRecord[], now: Date): Promise<number> {
    const alerts = new CapacityAlertRepository(this.deps.db);
    const events = new AgentEventRepository(this.deps.db);
    const refreshed: Array<
      Parameters<CapacityAlertRepository["updateFigures"]>[0][number] & { sample: { workspaceId: string; volumeId: string } }
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
        if (!sameFigures(open!, figures)) refreshed.push({ id: open!.id, ...figures, sample });
        continue;
      }
      await this.deps.db.transaction(async (tx) => {
        changes++;
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
          await this.handOff(events, tx, alert.id, sample, "CAPACITY_FLAGGED", `alert:${alert.id}:${decision.level}`, {
            level: decision.level,
            threshold,
            ...figures,
            forecastSource: usage.forecastSource,
            forecastFailure: usage.forecastFailure,
          });
        } else if (decision.action === "escalate") {
          await alerts.update(open!.id, { level: decision.level, escalatedAt: now, ...figures }, tx);
          await this.handOff(events, tx, open!.id, sample, "CAPACITY_FLAGGED", `alert:${open!.id}:${decision.level}`, {
            level: decision.level,
            threshold,
            ...figures,
            forecastSource: usage.forecastSource,
            forecastFailure: usage.forecastFailure,
          });
        } else {
          await alerts.update(open!.id, { state: "RESOLVED", resolvedAt: now, ...figures }, tx);
          await this.handOff(events, tx, open!.id, sample, "CAPACITY_CLEARED", `alert:${open!.id}:cleared`, { threshold, ...figures });
        }
      });
      this.deps.onAlertChanged?.(sample.workspaceId, sample.volumeId);
    }
    await alerts.updateFigures(refreshed);
    for (const { sample } of refreshed) this.deps.onAlertChanged?.(sample.workspaceId, sample.volumeId);
    return changes;
  }

  private handOff(
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
}

function sameFigures(a: { percent: number; usedBytes: number; capacityBytes: number; estimatedFullAt: Date | null }, b: typeof a): boolean {
  return (
    a.percent === b.percent &&
    a.usedBytes === b.usedBytes &&
    a.capacityBytes === b.capacityBytes &&
    a.estimatedFullAt?.getTime() === b.estimatedFullAt?.getTime()
  );
}

const key = (vcluster: string, namespace: string, pvc: string) => `${vcluster}|${namespace}/${pvc}`;

/**
 * used/capacity by claim. Series scraped through a vCluster carry its virtual names and a `vcluster`
 * target label (two vClusters may both have a shop/data claim); host series carry the synced names.
 */
function indexSeries(series: Sample[]): Map<string, { used?: number; capacity?: number }> {
  const index = new Map<string, { used?: number; capacity?: number }>();
  for (const s of series) {
    const namespace = s.labels["namespace"];
    const pvc = s.labels["persistentvolumeclaim"];
    if (!namespace || !pvc || !Number.isFinite(s.value)) continue;
    const k = key(s.labels["vcluster"] ?? "", namespace, pvc);
    const entry = index.get(k) ?? {};
    if (s.name === "kubelet_volume_stats_used_bytes") entry.used = s.value;
    if (s.name === "kubelet_volume_stats_capacity_bytes") entry.capacity = s.value;
    index.set(k, entry);
  }
  return index;
}
