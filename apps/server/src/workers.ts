import type { Logger } from "./logger.js";
import type { Services } from "./services.js";

export interface WorkerOptions {
  runPollMs: number;
  reconcileIntervalMs: number;
  logger: Logger;
}

/**
 * The server's background work: unfinished sagas resumed, backup runs followed, CronJobs kept in line.
 * (Several instances will elect one leader for these; until then, one instance runs them.)
 */
export async function startWorkers(services: Services, options: WorkerOptions): Promise<{ stop(): Promise<void> }> {
  await services.sagas.resumeOpen();
  services.sagas.startSweeper();
  services.runTracker.start(options.runPollMs);
  const reconcile = setInterval(() => {
    services.reconciler.reconcileAll().catch((error: unknown) => options.logger.warn("reconcile pass failed", { error: String(error) }));
  }, options.reconcileIntervalMs);
  reconcile.unref();
  return {
    async stop() {
      clearInterval(reconcile);
      await Promise.all([services.sagas.stop(), services.runTracker.stop()]);
    },
  };
}
