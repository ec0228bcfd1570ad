import type { Database } from "../../db/client.js";
import type { Logger } from "../../logger.js";
import { unobserved, type CycleObserver } from "../../observability/metrics.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { MetricsSource } from "../../platform/prometheus/client.js";
import type { WorkspaceRepository } from "../workspaces/workspace.repository.js";
import type { WorkspaceFence, WorkspaceShare } from "../workspaces/workspace-share.js";
import { evaluateAlerts } from "./alert-evaluation.js";
import { liveBackupWriters, type BackupWriter } from "./backup-writers.repository.js";
import { forecastFull, TREND_MAX_FREE_SHARE, type Forecast } from "./capacity-policy.js";
import { CapacityRepository, type UsageRecord } from "./capacity.repository.js";
import { addSample, moveOrigin, removeSample, startTrend, type Trend } from "./forecast.js";
import { project } from "./projection.js";
import type { Watches } from "../cluster-watches.js";
import { MonitoredVolumes } from "./monitored-volumes.js";
import { forecastChanged, listedClaims, VolumeClaims } from "./volume-claims.js";
import { volumeStatsQuery, VolumeStatsIndex, type SampledVolume } from "./volume-stats.js";

export { VOLUME_STATS_QUERY } from "./volume-stats.js";

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
  /** Volumes sampled but not written because their workspace's lease moved to another replica during the cycle. */
  fencedOut: number;
  /** Where the cycle's time went: reading (PromQL, database and PV lists, at once), trends and writes, alerts. */
  timings: {
    readMs: number;
    /** Of the read: until Prometheus's answer was parsed, and until the volumes were read and mapped to their claims. */
    queryMs: number;
    databaseMs: number;
    computeMs: number;
    writeMs: number;
    alertsMs: number;
  };
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
  /** Where each volume's series land, kept between cycles (cycles never overlap: see cycle()). */
  private readonly index = new VolumeStatsIndex();
  /** The volumes with their usage rows and alerts as the last cycle left them. */
  private readonly volumes: MonitoredVolumes;

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
    this.volumes = new MonitoredVolumes(deps.share);
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
    this.running ??= (this.deps.observeCycle ?? unobserved)(() =>
      this.runCycle().catch((error: unknown) => {
        // A cycle that failed part way may have written some of what it knows and not the rest: read it all again.
        this.volumes.forget();
        throw error;
      }),
    ).finally(() => (this.running = undefined));
    return this.running;
  }

  private async runCycle(): Promise<CycleResult> {
    const at = this.deps.now?.() ?? new Date();
    const capacity = new CapacityRepository(this.deps.db);
    const t0 = performance.now();
    const { share } = this.deps;
    const held = share?.owned();
    const owned = held?.map((f) => f.vclusterName);
    // Sharded, the one query asks only for the series of this replica's vClusters.
    const query = volumeStatsQuery(owned);
    // The PromQL query, the database and the vClusters' PV maps are independent: all asked at once. Where the series
    // will land and the volumes' Backups are worked out while Prometheus is still answering.
    const volumesRead = this.volumes.read(capacity, at);
    const writersRead = liveBackupWriters(
      this.deps.db,
      held?.map((f) => f.workspaceId),
      at,
    );
    // Awaited below; a failure of the query first must not leave this one's rejection unhandled.
    writersRead.catch(() => undefined);
    const ownedSet = owned && new Set(owned);
    let queryMs = 0;
    let databaseMs = 0;
    // All settled before going on: a failed query must not leave the index being updated under the next cycle.
    const [series, volumes] = await settled([
      query ? this.deps.metrics.instant(query).finally(() => (queryMs = performance.now() - t0)) : [],
      volumesRead,
      Promise.all([volumesRead, this.claimsOf(capacity, ownedSet)]).then(([volumes, claims]) => {
        this.index.update(volumes, claims);
        databaseMs = performance.now() - t0;
      }),
    ] as const);
    const t1 = performance.now();
    const sampled = this.index.sample(series);
    // Unmoved volumes are not written: the trend carried in their row goes on from the last sample written.
    const rewriteAfter = this.deps.rewriteUnchangedMs ?? REWRITE_UNCHANGED_MS;
    const usages = await this.trends(capacity, sampled, await writersRead, at, rewriteAfter);
    const t2 = performance.now();
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
    // Sharded, every write holds the workspace's lease (heldLeases); a workspace lost meanwhile is left to its new owner.
    const fences = share && this.fencesOf(share, moved);
    const { refused } = await capacity.record(
      at,
      moved.filter((u) => !fences?.lost.has(u.workspaceId)),
      fences?.held,
    );
    for (const ws of fences?.lost ?? []) refused.add(ws);
    this.volumes.wrote(at, refused.size ? moved.filter((u) => !refused.has(u.workspaceId)) : moved);
    this.volumes.forget(refused);
    if (at.getTime() - this.lastPrune > 3600_000) {
      // The chart shows a month at most; older samples only cost space.
      await capacity.prune(new Date(at.getTime() - 31 * 24 * 3600_000));
      this.lastPrune = at.getTime();
    }
    const t3 = performance.now();
    const kept = refused.size ? sampled.flatMap((s, i) => (refused.has(s.volume.workspaceId) ? [] : [i])) : undefined;
    const alerts = await evaluateAlerts(
      { ...this.deps, onAlertWritten: (volumeId, alert) => this.volumes.alerted(volumeId, alert) },
      kept ? kept.map((i) => sampled[i]!) : sampled,
      kept ? kept.map((i) => usages[i]!) : usages,
      at,
      share && this.fencesOf(share, usages).held,
    );
    if (refused.size)
      this.deps.logger.info("monitoring samples of workspaces whose lease moved were left to their new replica", { refused: [...refused] });
    const timings = { readMs: t1 - t0, queryMs, databaseMs, computeMs: t2 - t1, writeMs: t3 - t2, alertsMs: performance.now() - t3 };
    const fencedOut = moved.filter((u) => refused.has(u.workspaceId)).length;
    return {
      volumes: volumes.length,
      sampled: sampled.length,
      written: moved.length - fencedOut,
      fencedOut,
      queries: query ? 1 : 0,
      alerts,
      timings,
    };
  }

  /** The claim bound to each volume's PV, per vCluster (of this replica's share): from the PV watches, else listed. */
  private async claimsOf(capacity: CapacityRepository, owned: Set<string> | undefined) {
    const every = await capacity.monitoredVClusters();
    const names = owned ? every.filter((name) => owned.has(name)) : every;
    if (this.claims) {
      const { claims, unreachable } = await this.claims.of(names);
      if (unreachable.length) this.deps.logger.warn("volumes of unreachable vClusters left out of the cycle", { unreachable });
      return claims;
    }
    const lists = await Promise.all(names.map((name) => listedClaims(this.deps.vclusters.forName(name))));
    return new Map(names.map((name, i) => [name, lists[i]!]));
  }

  /** This replica's leases on the workspaces of these rows, and the workspaces it no longer holds at all. */
  private fencesOf(share: WorkspaceShare, rows: Array<{ workspaceId: string }>) {
    const held = new Map<string, WorkspaceFence>();
    const lost = new Set<string>();
    for (const { workspaceId } of rows) {
      if (held.has(workspaceId) || lost.has(workspaceId)) continue;
      const fence = share.fence(workspaceId);
      if (fence) held.set(workspaceId, fence);
      else lost.add(workspaceId);
    }
    return { held: [...held.values()], lost };
  }

  /**
   * Each sampled volume's trend over the forecast window, carried forward from its usage row: the new sample is added,
   * samples that left the window since the last cycle are taken out (one query for all of them), and a new capacity
   * (an expansion) starts the trend afresh, since growth before it says nothing about when the larger volume fills.
   */
  private async trends(
    capacity: CapacityRepository,
    sampled: SampledVolume[],
    writers: Map<string, BackupWriter[]>,
    at: Date,
    rewriteAfter: number,
  ): Promise<UsageRecord[]> {
    const windowStart = new Date(at.getTime() - FORECAST_WINDOW_MS);
    const carried = (s: (typeof sampled)[number]) => {
      const u = s.volume.usage;
      return u && u.capacityBytes === s.capacityBytes && u.sampledAt >= windowStart && u.sampledAt < at ? u : undefined;
    };
    // Most volumes, most cycles: usage as written last, no forecast then, 15% or more free and no Backup writing into
    // them. Whatever their trend, forecastFull has nothing to say of them, and their row is not due to be written: it
    // stands as it is, with no trend or forecast worked out.
    const standing = sampled.map((s) => {
      const u = carried(s);
      const { forecast } = s.volume;
      return u &&
        u.usedBytes === s.usedBytes &&
        at.getTime() - u.sampledAt.getTime() < rewriteAfter &&
        !forecast?.source &&
        forecast?.estimatedFullAt == null &&
        !writers.get(s.volume.volumeId)?.length &&
        s.capacityBytes > 0 &&
        (s.capacityBytes - s.usedBytes) / s.capacityBytes >= TREND_MAX_FREE_SHARE
        ? u
        : undefined;
    });
    // Volumes whose window slid past some of their samples: those samples leave the sums.
    const windowFrom = new Map<string, number>();
    sampled.forEach((s, i) => {
      const u = carried(s);
      if (u && !standing[i] && u.windowFrom < windowStart) windowFrom.set(s.volume.volumeId, u.windowFrom.getTime());
    });
    const leaving = new Map<string, Array<{ at: Date; usedBytes: number }>>();
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
    return sampled.map((s, i) => {
      const still = standing[i];
      if (still) {
        return {
          volumeId: s.volume.volumeId,
          workspaceId: s.volume.workspaceId,
          usedBytes: s.usedBytes,
          capacityBytes: s.capacityBytes,
          estimatedFullAt: null,
          forecastSource: null,
          forecastFailure: null,
          windowFrom: still.windowFrom,
          trendBaseBytes: still.trendBaseBytes,
          trendSamples: still.trendSamples,
          trendSumX: still.trendSumX,
          trendSumY: still.trendSumY,
          trendSumXY: still.trendSumXY,
          trendSumXX: still.trendSumXX,
        };
      }
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
}

/** Promise.all, but only once every promise settled: the first failure, else every value. */
async function settled<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> | T[K] }): Promise<T> {
  const results = await Promise.allSettled(promises as readonly unknown[]);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
