import type { Database } from "./db/client.js";
import type { Logger } from "./logger.js";
import { assignWorkspaces } from "./modules/workspaces/shard-assignment.js";
import { WorkspaceLeaseRepository, type HeldLease } from "./modules/workspaces/workspace-lease.repository.js";
import type { OwnedWorkspaces, WorkspaceFence } from "./modules/workspaces/workspace-share.js";
import type { ServerMetrics } from "./observability/metrics.js";

/**
 * Why a workspace's work stops here: its lease went to another replica ("lost"), the shares were rebalanced ("moved"),
 * this replica leaves ("leaving"), or it could not renew in time and may well take the lease back at its next beat
 * ("lapsed": a busy replica, not necessarily a workspace moving away).
 */
export type WorkStopReason = "lost" | "moved" | "leaving" | "lapsed";

/** One workspace's background work on this replica, started when the lease is taken and stopped before it is given up. */
export interface WorkspaceWork {
  stop(reason: WorkStopReason): Promise<void>;
}

export interface ShardingOptions {
  db: Database;
  instanceId: string;
  /** How often this replica beats its heart, renews its leases and rebalances (HKS_SHARD_HEARTBEAT_MS). */
  heartbeatMs: number;
  /** How long a lease (and a heartbeat) lasts without renewal: a dead replica's share moves after this (HKS_SHARD_LEASE_MS). */
  leaseMs: number;
  logger: Logger;
  /** Kept current here; the run tracker, reconciler, monitoring and agents read it. */
  share: OwnedWorkspaces;
  metrics?: ServerMetrics;
  startWorkspace(fence: WorkspaceFence): Promise<WorkspaceWork>;
}

export interface Sharding {
  /** One heartbeat: renew, give up what moved away, take what moved here (also run on a timer). */
  tick(): Promise<void>;
  /** Stops every workspace's work, gives the leases up and leaves, so the others take the share over at once. */
  stop(): Promise<void>;
}

interface Held extends HeldLease {
  vclusterName: string;
  /** Local time until which the lease is surely still valid in the database (measured from before the renewal). */
  validUntil: number;
  work: Promise<WorkspaceWork | undefined>;
}

/**
 * Divides the workspaces among the live replicas (shard-assignment.ts) and holds a lease per owned workspace in
 * PostgreSQL. Each replica computes the same assignment from the same heartbeats, takes the leases that fall to it
 * once they are free, and gives up the ones that moved away (stopping their work first). A replica that dies stops
 * beating and renewing: after `leaseMs` its share falls to the others. A replica cut off from the database stops its
 * workspaces' work on its own before its leases can expire, and the fence (holdFence) refuses its writes regardless.
 */
export async function startSharding(options: ShardingOptions): Promise<Sharding> {
  const { logger, share, instanceId, leaseMs } = options;
  const repo = new WorkspaceLeaseRepository(options.db, instanceId);
  const held = new Map<string, Held>();
  // Stop before the lease can run out in the database: a beat's worth of margin for the renewal's round trip.
  const margin = Math.min(options.heartbeatMs, leaseMs / 4);
  let stopped = false;
  let ticking: Promise<void> | undefined;

  const drop = async (ids: string[], reason: WorkStopReason) => {
    const dropped = ids.map((id) => held.get(id)!).filter(Boolean);
    for (const h of dropped) {
      // Off the share first: loops skip it and fenced writes stop being tried while its work winds down.
      share.remove(h.workspaceId);
      held.delete(h.workspaceId);
    }
    await Promise.all(
      dropped.map(async (h) => {
        const work = await h.work;
        await work
          ?.stop(reason)
          .catch((error: unknown) =>
            logger.warn("stopping a workspace's work failed", { workspaceId: h.workspaceId, error: String(error) }),
          );
      }),
    );
    return dropped;
  };

  const take = (lease: HeldLease, vclusterName: string, validUntil: number) => {
    const fence: WorkspaceFence = { workspaceId: lease.workspaceId, vclusterName, owner: instanceId, token: lease.token };
    share.add(fence);
    const work = options.startWorkspace(fence).catch((error: unknown) => {
      logger.warn("starting a workspace's work failed", { workspaceId: lease.workspaceId, error: String(error) });
      return undefined;
    });
    held.set(lease.workspaceId, { ...lease, vclusterName, validUntil, work });
  };

  const lapse = async () => {
    const now = Date.now();
    const lapsed = [...held.values()].filter((h) => h.validUntil <= now).map((h) => h.workspaceId);
    if (lapsed.length) {
      await drop(lapsed, "lapsed");
      logger.warn("workspace ownership moved: leases not renewed in time, their work stopped", {
        lapsed: sample(lapsed),
        owned: held.size,
      });
      report({ lost: lapsed.length });
    }
  };

  const report = (changes: { acquired?: number; released?: number; lost?: number }) => {
    options.metrics?.workspacesOwned.set(held.size);
    for (const [change, count] of Object.entries(changes)) if (count) options.metrics?.workspaceOwnershipChanges.inc({ change }, count);
  };

  const tickOnce = async () => {
    const startedAt = Date.now();
    const live = await repo.heartbeat(leaseMs);
    if (!live.includes(instanceId)) live.push(instanceId);
    options.metrics?.replicasLive.set(live.length);
    const workspaces = await repo.workspaces();
    const vclusterOf = new Map(workspaces.map((w) => [w.id, w.vclusterName]));
    const assignment = assignWorkspaces([...vclusterOf.keys()], live);

    const renewed = await repo.renew([...held.values()], leaseMs);
    for (const id of renewed) {
      const h = held.get(id);
      if (h) h.validUntil = startedAt + leaseMs - margin;
    }
    const mine = new Set(renewed);
    const lost = [...held.keys()].filter((id) => !mine.has(id));
    await drop(lost, "lost");
    await lapse();

    // Moved to another live replica (one joined, or the shares were rebalanced): stop, then hand over at once.
    const moved = [...held.keys()].filter((id) => assignment.get(id) !== instanceId);
    const released = await drop(moved, "moved");
    await repo.release(released);

    const wanted = [...assignment].filter(([id, owner]) => owner === instanceId && !held.has(id)).map(([id]) => id);
    const acquiredAt = Date.now();
    const acquired = stopped ? [] : await repo.acquire(wanted, leaseMs);
    for (const lease of acquired) take(lease, vclusterOf.get(lease.workspaceId)!, acquiredAt + leaseMs - margin);

    if (lost.length || released.length || acquired.length) {
      logger.info("workspace ownership moved", {
        instanceId,
        replicas: live.length,
        owned: held.size,
        acquired: sample(acquired.map((a) => a.workspaceId)),
        released: sample(released.map((r) => r.workspaceId)),
        lost: sample(lost),
      });
    }
    report({ acquired: acquired.length, released: released.length, lost: lost.length });
    if (Math.random() < 0.01) await repo.forgetDead(leaseMs * 100);
  };

  const tick = () => {
    ticking ??= tickOnce()
      .catch((error: unknown) => logger.warn("workspace lease heartbeat failed", { instanceId, error: String(error) }))
      .finally(() => (ticking = undefined));
    return ticking;
  };

  await tick();
  const timer = setInterval(() => void tick(), options.heartbeatMs);
  timer.unref();
  // Apart from the heartbeat, which may hang on an unreachable database: lapsed leases stop their work on time regardless.
  const watchdog = setInterval(() => void lapse(), Math.max(100, margin / 2));
  watchdog.unref();

  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(watchdog);
      await ticking;
      const released = await drop([...held.keys()], "leaving");
      await repo.release(released).catch(() => undefined);
      await repo.leave().catch(() => undefined);
      report({ released: released.length });
      logger.info("workspace ownership moved: this replica left, its workspaces are free", { instanceId, released: released.length });
    },
  };
}

/** A few ids for a log line; the count says how many there were. */
function sample(ids: string[]): { count: number; ids: string[] } {
  return { count: ids.length, ids: ids.slice(0, 10) };
}
