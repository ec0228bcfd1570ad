import type { V1PersistentVolume } from "@kubernetes/client-node";
import type { Database } from "../../db/client.js";
import type { Logger } from "../../logger.js";
import { unobserved, type CycleObserver } from "../../observability/metrics.js";
import { PERSISTENT_VOLUME } from "../../platform/kubernetes/kinds/persistent-volume.js";
import { hostNamespace, hostPvcName } from "../../platform/kubernetes/vcluster-names.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { MetricsSource } from "../../platform/prometheus/client.js";
import type { Sample } from "../../platform/prometheus/exposition.js";
import { VolumeRepository } from "../volumes/volume.repository.js";
import type { WorkspaceRepository } from "../workspaces/workspace.repository.js";
import { AgentEventRepository } from "../assistant/agent-events.repository.js";
import { decide } from "./alert-policy.js";
import { CapacityAlertRepository } from "./capacity-alert.repository.js";
import { CapacityRepository } from "./capacity.repository.js";
import { estimateFullAt } from "./forecast.js";

/** Every volume's usage from one PromQL query per cycle, however many volumes and workspaces there are. */
export const VOLUME_STATS_QUERY = '{__name__=~"kubelet_volume_stats_used_bytes|kubelet_volume_stats_capacity_bytes"}';

export interface CycleResult {
  volumes: number;
  sampled: number;
  queries: number;
  /** Alerts raised, escalated or cleared in this cycle. */
  alerts: number;
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

  constructor(
    private readonly deps: {
      db: Database;
      vclusters: VClusters;
      workspaces: WorkspaceRepository;
      metrics: MetricsSource;
      logger: Logger;
      now?: () => Date;
      /** Told after an alert of the workspace changed (for the live alert subscription). */
      onAlertChanged?: (workspaceId: string, volumeId: string) => void;
      /** Times and counts each cycle (the server's metrics). */
      observeCycle?: CycleObserver;
    },
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.cycle().catch((error: unknown) => this.deps.logger.warn("monitoring cycle failed", { error: String(error) })), intervalMs);
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
    const series = await this.deps.metrics.instant(VOLUME_STATS_QUERY);
    const index = indexSeries(series);
    const capacity = new CapacityRepository(this.deps.db);
    const samples: Parameters<CapacityRepository["record"]>[0] = [];
    let volumes = 0;
    const thresholds = new Map<string, number>();
    for (const workspace of await this.deps.workspaces.all()) {
      thresholds.set(workspace.id, workspace.capacityAlertPercent);
      const live = (await new VolumeRepository(this.deps.db, workspace.id).list()).filter((v) => v.status === "AVAILABLE" || v.status === "EXPANDING");
      if (!live.length) continue;
      volumes += live.length;
      const claims = await this.claimsByPv(workspace.vclusterName);
      for (const volume of live) {
        const claim = claims.get(volume.persistentVolumeName);
        if (!claim) continue; // not mounted anywhere: nothing writes to it, and no kubelet reports it
        const stats =
          index.get(key(workspace.vclusterName, claim.namespace, claim.name)) ??
          index.get(key("", hostNamespace(workspace.vclusterName), hostPvcName(workspace.vclusterName, claim.namespace, claim.name)));
        if (!stats || stats.used === undefined || stats.capacity === undefined) continue;
        samples.push({ volumeId: volume.id, workspaceId: workspace.id, at, usedBytes: Math.round(stats.used), capacityBytes: Math.round(stats.capacity) });
      }
    }
    await capacity.record(samples);
    if (at.getTime() - this.lastPrune > 3600_000) {
      // The chart shows a month at most; older samples only cost space.
      await capacity.prune(new Date(at.getTime() - 31 * 24 * 3600_000));
      this.lastPrune = at.getTime();
    }
    const alerts = await this.evaluate(samples, thresholds, at);
    return { volumes, sampled: samples.length, queries: 1, alerts };
  }

  /** Raises, escalates and clears capacity alerts, and hands each change to the OrchestrationAgent. */
  private async evaluate(samples: Parameters<CapacityRepository["record"]>[0], thresholds: Map<string, number>, now: Date): Promise<number> {
    if (!samples.length) return 0;
    const history = await new CapacityRepository(this.deps.db).recent(
      samples.map((s) => s.volumeId),
      new Date(now.getTime() - 6 * 3600 * 1000),
    );
    const alerts = new CapacityAlertRepository(this.deps.db);
    const events = new AgentEventRepository(this.deps.db);
    let changes = 0;
    for (const sample of samples) {
      const percent = sample.capacityBytes ? (sample.usedBytes / sample.capacityBytes) * 100 : 0;
      const estimatedFullAt = estimateFullAt(sinceLastResize(history, sample), sample.capacityBytes, now);
      const threshold = thresholds.get(sample.workspaceId) ?? 85;
      const open = await alerts.open(sample.volumeId);
      const decision = decide({ percent, threshold, estimatedFullAt, now, open: open?.level });
      if (decision.action === "none") continue;
      const figures = { percent: Math.round(percent * 10) / 10, usedBytes: sample.usedBytes, capacityBytes: sample.capacityBytes, estimatedFullAt };
      await this.deps.db.transaction(async (tx) => {
        if (decision.action === "update") {
          await alerts.update(open!.id, figures, tx);
          return;
        }
        changes++;
        if (decision.action === "raise") {
          const alert = await alerts.insert(
            { workspaceId: sample.workspaceId, volumeId: sample.volumeId, state: "OPEN", level: decision.level, thresholdPercent: threshold, raisedAt: now, ...figures },
            tx,
          );
          await this.handOff(events, tx, alert.id, sample, "CAPACITY_FLAGGED", `alert:${alert.id}:${decision.level}`, { level: decision.level, threshold, ...figures });
        } else if (decision.action === "escalate") {
          await alerts.update(open!.id, { level: decision.level, escalatedAt: now, ...figures }, tx);
          await this.handOff(events, tx, open!.id, sample, "CAPACITY_FLAGGED", `alert:${open!.id}:${decision.level}`, { level: decision.level, threshold, ...figures });
        } else {
          await alerts.update(open!.id, { state: "RESOLVED", resolvedAt: now, ...figures }, tx);
          await this.handOff(events, tx, open!.id, sample, "CAPACITY_CLEARED", `alert:${open!.id}:cleared`, { threshold, ...figures });
        }
      });
      this.deps.onAlertChanged?.(sample.workspaceId, sample.volumeId);
    }
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
      { workspaceId: sample.workspaceId, fromAgent: "STORAGE_WORKER", toAgent: "ORCHESTRATION", kind, dedupeKey, payload: { alertId, volumeId: sample.volumeId, ...figures } },
      tx,
    );
  }

  private async claimsByPv(vcluster: string): Promise<Map<string, { namespace: string; name: string }>> {
    const pvs = await this.deps.vclusters.forName(vcluster).list<V1PersistentVolume>(PERSISTENT_VOLUME.apiVersion, PERSISTENT_VOLUME.kind, undefined, "app.kubernetes.io/managed-by=hks");
    const claims = new Map<string, { namespace: string; name: string }>();
    for (const pv of pvs) {
      const ref = pv.spec?.claimRef;
      if (pv.metadata?.name && ref?.name && pv.status?.phase === "Bound") claims.set(pv.metadata.name, { namespace: ref.namespace ?? "default", name: ref.name });
    }
    return claims;
  }
}

/**
 * The volume's recent samples at its current capacity: growth before an expansion says nothing about
 * when the larger volume fills, and would keep a cleared alert open.
 */
export function sinceLastResize<T extends { volumeId: string; capacityBytes: number }>(history: T[], current: { volumeId: string; capacityBytes: number }): T[] {
  return history.filter((h) => h.volumeId === current.volumeId && h.capacityBytes === current.capacityBytes);
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
