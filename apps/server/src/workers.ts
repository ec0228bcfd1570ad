import type { Logger } from "./logger.js";
import type { Services } from "./services.js";
import type { WorkspaceWork } from "./sharding.js";
import type { WorkspaceFence } from "./modules/workspaces/workspace-share.js";

export interface WorkerOptions {
  runPollMs: number;
  monitorIntervalMs: number;
  agentIntervalMs: number;
  reconcileIntervalMs: number;
  logger: Logger;
}

/**
 * The leader's background work: unfinished volume operations resumed and swept. It stays with one instance
 * (leadership.ts) because it is not a workspace's: each operation already has its own lease in the journal.
 */
export async function startLeaderWork(services: Services, options: Pick<WorkerOptions, "logger">): Promise<{ stop(): Promise<void> }> {
  // Not awaited: resumed sagas may take minutes, and leadership must be able to stop this at any time.
  void services.sagas
    .resumeOpen()
    .catch((error: unknown) => options.logger.warn("resuming volume operations failed", { error: String(error) }));
  services.sagas.startSweeper();
  return { stop: () => services.sagas.stop() };
}

/**
 * Every replica's background work over its share of the workspaces (sharding.ts): backup runs followed, CronJobs kept
 * in line, volumes monitored, the agents' hand-offs handled. Each cycle covers the workspaces the replica holds the
 * lease on at that moment (services' WorkspaceShare), so the share can change between cycles without a restart.
 */
export async function startShardWork(services: Services, options: WorkerOptions): Promise<{ stop(): Promise<void> }> {
  services.runTracker.start(options.runPollMs);
  services.storageWorker?.start(options.monitorIntervalMs);
  // The agents' hand-offs are read from their inboxes; a restart picks up whatever was not yet handled.
  let agentsBusy = false;
  const agents = setInterval(() => {
    if (agentsBusy) return;
    agentsBusy = true;
    void (async () => {
      await services.orchestration.cycle();
      await services.userChat.cycle();
    })()
      .catch((error: unknown) => options.logger.warn("assistant agents failed a cycle", { error: String(error) }))
      .finally(() => (agentsBusy = false));
  }, options.agentIntervalMs);
  agents.unref();
  const reconcile = setInterval(() => {
    services.reconciler.reconcileAll().catch((error: unknown) => options.logger.warn("reconcile pass failed", { error: String(error) }));
  }, options.reconcileIntervalMs);
  reconcile.unref();
  return {
    async stop() {
      clearInterval(reconcile);
      clearInterval(agents);
      await Promise.all([services.runTracker.stop(), services.storageWorker?.stop()]);
      services.watches.stopAll();
    },
  };
}

/**
 * How long a lapsed lease's watch outlives it. A replica too busy to renew in time usually takes the lease back at its
 * next beat: ending the watch there and relisting the vCluster a second later would only make it busier still.
 */
export const LAPSED_WATCH_GRACE_MS = 10_000;

/**
 * What starts and stops with one workspace's lease on this replica: the one place per-workspace work hangs off. The
 * workspace's vCluster is watched from here on (the run tracker, reconciler and monitoring read its caches; with
 * several replicas they cannot start a watch themselves), and its runs are read at once, so a workspace taken over
 * from a dead replica has its runs followed without waiting for the next pass. stop() ends the watch: a workspace
 * that moved away is watched by its new owner alone (after a lapse, once LAPSED_WATCH_GRACE_MS has passed).
 */
export async function startWorkspaceWork(
  services: Services,
  fence: WorkspaceFence,
  options: Pick<WorkerOptions, "logger"> & { lapsedWatchGraceMs?: number },
): Promise<WorkspaceWork> {
  const followed = services.watches.follow(fence.vclusterName);
  void services.runTracker
    .syncOne(fence.workspaceId)
    .catch((error: unknown) => options.logger.warn("backup run sync failed", { workspaceId: fence.workspaceId, error: String(error) }));
  return {
    stop(reason) {
      // Taken back within the grace, the workspace follows the same watch again (follow() counts): nothing relisted.
      if (reason === "lapsed") setTimeout(() => followed.release(), options.lapsedWatchGraceMs ?? LAPSED_WATCH_GRACE_MS).unref();
      else followed.release();
      return Promise.resolve();
    },
  };
}

/** One instance alone (tests, PGlite): the leader's work and the shard work together, over every workspace. */
export async function startWorkers(services: Services, options: WorkerOptions): Promise<{ stop(): Promise<void> }> {
  const leader = await startLeaderWork(services, options);
  const shard = await startShardWork(services, options);
  return {
    async stop() {
      await shard.stop();
      await leader.stop();
    },
  };
}
