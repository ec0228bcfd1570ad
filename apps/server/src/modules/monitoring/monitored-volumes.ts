import type { WorkspaceShare } from "../workspaces/workspace-share.js";
import type { CapacityRepository, MonitoredVolume, UsageRecord } from "./capacity.repository.js";

/** However well the cache is kept, it is read afresh this often, like an informer's resync. */
export const MONITORED_RESYNC_MS = 10 * 60_000;

/**
 * What the monitoring cycle knows of each volume between cycles. Usage rows and capacity alerts are written by the
 * cycle alone, under the workspace's lease: while this replica holds a workspace's lease without a break (the same
 * fencing token), what it wrote last is what the database holds, and only the volumes themselves (which come and go
 * through the API, on any replica) need reading each cycle. A volume not known yet, a workspace whose lease was taken
 * afresh (another replica may have written meanwhile), and every volume once per resync are read whole.
 */
export class MonitoredVolumes {
  private known = new Map<string, MonitoredVolume>();
  /** The fencing token each workspace's rows were read under (0 unsharded). */
  private tokens = new Map<string, number>();
  private readAt = -Infinity;
  /** The volume list as last read, and the fingerprint it was read under. */
  private listed?: Awaited<ReturnType<CapacityRepository["monitoredVolumes"]>>;
  private print = "";

  constructor(
    private readonly share?: WorkspaceShare,
    private readonly resyncMs = MONITORED_RESYNC_MS,
  ) {}

  /** The cycle's volumes (of this replica's share), usage and open alert included. */
  async read(capacity: CapacityRepository, at: Date): Promise<MonitoredVolume[]> {
    const resync = at.getTime() - this.readAt >= this.resyncMs || at.getTime() < this.readAt;
    const tokenOf = (workspaceId: string) => (this.share ? this.share.fence(workspaceId)?.token : 0);
    // The volumes themselves only when they changed since the last read (or at a resync).
    const print = await capacity.monitoredFingerprint();
    if (resync || print !== this.print || !this.listed) {
      this.listed = await capacity.monitoredVolumes();
      this.print = print;
    }
    const volumes = this.listed;
    const unknown: string[] = [];
    const current = new Map<string, MonitoredVolume>();
    for (const v of volumes) {
      const token = tokenOf(v.workspaceId);
      if (token === undefined) continue;
      const cached = this.known.get(v.volumeId);
      if (resync || !cached || this.tokens.get(v.workspaceId) !== token || cached.workspaceId !== v.workspaceId) {
        unknown.push(v.volumeId);
        continue;
      }
      // What the API may change about a volume (its PV, its workspace's threshold) comes from this cycle's read.
      current.set(v.volumeId, Object.assign(cached, v));
    }
    for (const v of await capacity.monitored(unknown)) {
      const token = tokenOf(v.workspaceId);
      if (token === undefined) continue;
      current.set(v.volumeId, v);
      this.tokens.set(v.workspaceId, token);
    }
    if (resync) this.readAt = at.getTime();
    this.known = current;
    return [...current.values()];
  }

  /** Usage rows the cycle wrote. */
  wrote(at: Date, usages: UsageRecord[]): void {
    for (const u of usages) {
      const volume = this.known.get(u.volumeId);
      if (!volume) continue;
      volume.usage = {
        sampledAt: at,
        usedBytes: u.usedBytes,
        capacityBytes: u.capacityBytes,
        windowFrom: u.windowFrom,
        trendBaseBytes: u.trendBaseBytes,
        trendSamples: u.trendSamples,
        trendSumX: u.trendSumX,
        trendSumY: u.trendSumY,
        trendSumXY: u.trendSumXY,
        trendSumXX: u.trendSumXX,
      };
      volume.forecast = {
        estimatedFullAt: u.estimatedFullAt ? u.estimatedFullAt.getTime() : null,
        source: u.forecastSource,
        failure: u.forecastFailure ?? null,
      };
    }
  }

  /** An alert the cycle raised, escalated, refreshed or cleared (null). */
  alerted(volumeId: string, alert: MonitoredVolume["openAlert"]): void {
    const volume = this.known.get(volumeId);
    if (volume) volume.openAlert = alert;
  }

  /** Forgets what is known of these workspaces (their writes were refused: the lease moved), or of all. */
  forget(workspaceIds?: Iterable<string>): void {
    if (!workspaceIds) {
      this.known.clear();
      this.tokens.clear();
      this.listed = undefined;
      return;
    }
    const gone = new Set(workspaceIds);
    for (const id of gone) this.tokens.delete(id);
    for (const [id, v] of this.known) if (gone.has(v.workspaceId)) this.known.delete(id);
  }
}
