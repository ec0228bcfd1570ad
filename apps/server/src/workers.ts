import type { Logger } from "./logger.js";
import type { Services } from "./services.js";

export interface WorkerOptions {
  runPollMs: number;
  monitorIntervalMs: number;
  agentIntervalMs: number;
  reconcileIntervalMs: number;
  logger: Logger;
}

/**
 * The leader's background work: unfinished sagas resumed, backup runs followed, CronJobs kept in line,
 * volumes monitored, the agents' hand-offs handled. Exactly one instance runs it (leadership.ts).
 */
export async function startWorkers(services: Services, options: WorkerOptions): Promise<{ stop(): Promise<void> }> {
  // Not awaited: resumed sagas may take minutes, and leadership must be able to stop this at any time.
  void services.sagas
    .resumeOpen()
    .catch((error: unknown) => options.logger.warn("resuming volume operations failed", { error: String(error) }));
  services.sagas.startSweeper();
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
      await Promise.all([services.sagas.stop(), services.runTracker.stop(), services.storageWorker?.stop()]);
      services.watches.stopAll();
    },
  };
}
