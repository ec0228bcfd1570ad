/**
 * The background work that asks the vClusters anything, built and started in the bench's process as workers.ts starts
 * it on one instance (every workspace, no share): the real BackupRunTracker (every HKS_RUN_POLL_MS's default 2 s),
 * BackupReconciler (every 60 s) and StorageWorkerAgent (every 15 s, with no series: only its PV mapping costs the
 * vClusters anything). Without watches it is today's polling, the baseline of the watch and workspaces benches.
 */
import type { Database } from "../../apps/server/src/db/client.js";
import { createInProcessPubSub } from "../../apps/server/src/graphql/pubsub.js";
import { createLogger } from "../../apps/server/src/logger.js";
import { BackupRunTracker } from "../../apps/server/src/modules/backups/run-tracker.js";
import { DEFAULT_TRANSLATION } from "../../apps/server/src/modules/backups/translation.js";
import type { Watches } from "../../apps/server/src/modules/cluster-watches.js";
import { StorageWorkerAgent } from "../../apps/server/src/modules/monitoring/storage-worker-agent.js";
import { WorkspaceRepository } from "../../apps/server/src/modules/workspaces/workspace.repository.js";
import type { VClusters } from "../../apps/server/src/platform/kubernetes/vclusters.js";
import { benchReconciler } from "./reconciler.js";

export const INTERVALS = { runPollMs: 2000, reconcileMs: 60_000, monitorMs: 15_000 };

export function backgroundServices(db: Database, vclusters: VClusters, watches: Watches | undefined) {
  const logger = createLogger({ silent: true });
  const workspaceRepository = new WorkspaceRepository(db);
  return {
    tracker: new BackupRunTracker({
      db,
      vclusters,
      workspaces: workspaceRepository,
      pubsub: createInProcessPubSub(),
      logger,
      missedAfterSeconds: DEFAULT_TRANSLATION.startingDeadlineSeconds + 60,
      watches,
    }),
    reconciler: benchReconciler({ db, vclusters, workspaces: workspaceRepository, logger, watches }),
    monitor: new StorageWorkerAgent({
      db,
      vclusters,
      metrics: { describe: () => "no series", instant: () => Promise.resolve([]) },
      logger,
      watches,
    }),
  };
}

export type BackgroundServices = ReturnType<typeof backgroundServices>;

/** As workers.ts starts them, at the production intervals; resolves to a stop. */
export function startBackgroundWork(s: BackgroundServices): () => Promise<void> {
  s.tracker.start(INTERVALS.runPollMs);
  s.monitor.start(INTERVALS.monitorMs);
  const reconcile = setInterval(() => void s.reconciler.reconcileAll().catch(() => undefined), INTERVALS.reconcileMs);
  return async () => {
    clearInterval(reconcile);
    await Promise.all([s.tracker.stop(), s.monitor.stop()]);
  };
}

export interface IdleRequests {
  perMinute: number;
  reads: number;
  writes: number;
  watchesOpened: number;
}

/** The requests the vClusters answered over `seconds` of nothing happening, from their counters reset at the start. */
export async function idleRequests(
  counters: { requests(): { reads: number; writes: number; watches: number }; resetRequests(): void },
  seconds: number,
): Promise<IdleRequests> {
  counters.resetRequests();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const { reads, writes, watches } = counters.requests();
  return { perMinute: ((reads + writes) * 60) / seconds, reads, writes, watchesOpened: watches };
}
