import type { Database } from "../../db/client.js";
import type { AppPubSub as PubSub } from "../topics.js";
import type { Logger } from "../../logger.js";
import { PlatformError } from "../../platform/errors.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { ProxmoxClient } from "../../platform/proxmox/client.js";
import type { WorkspaceRepository } from "../workspaces/workspace.repository.js";
import { LeaseLostError, VolumeRepository, type VolumeOperationJournal, type VolumeOperationRecord } from "./volume.repository.js";
import type { SagaOutcome, SagaOutcomeRecorder } from "../../observability/metrics.js";
import { sagaSteps, type SagaContext, type Step } from "./saga-steps.js";

export interface SagaDeps {
  db: Database;
  journal: VolumeOperationJournal;
  workspaces: WorkspaceRepository;
  proxmox: ProxmoxClient;
  vclusters: VClusters;
  pubsub: PubSub;
  logger: Logger;
  csiDriver: string;
  /** Who this instance is in the journal's leases. */
  instanceId: string;
  /** How long an operation stays this instance's without a renewal; another instance resumes it after that. */
  leaseMs: number;
  /** Told how each run of a saga ended (the server's metrics). */
  recordOutcome?: SagaOutcomeRecorder;
}

const ATTEMPTS = 3;

/**
 * Runs the provisioning, expansion and deletion sagas (spec 4.1). Every step is written to the
 * journal before it is taken and is safe to repeat, so a crashed or restarted server resumes an
 * unfinished operation where it stopped, or finishes rolling it back: no orphaned disk, no double charge.
 */
export class VolumeSagaRunner {
  private readonly inflight = new Map<string, Promise<void>>();
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly deps: SagaDeps) {}

  /** Runs (or joins) the operation; resolves when it has finished, failed or been left for a later retry. */
  run(operationId: string): Promise<void> {
    let running = this.inflight.get(operationId);
    if (!running) {
      running = this.execute(operationId)
        .catch((error: unknown) => this.deps.logger.error("saga crashed", { operationId, error: String(error) }))
        .finally(() => this.inflight.delete(operationId));
      this.inflight.set(operationId, running);
    }
    return running;
  }

  /** Picks up every unfinished operation, at start-up and then periodically for steps that wait on a platform. */
  async resumeOpen(): Promise<void> {
    const open = (await this.deps.journal.open()).filter((op) => !this.inflight.has(op.id));
    if (open.length) this.deps.logger.info("resuming volume operations", { count: open.length });
    await Promise.all(open.map((op) => this.run(op.id)));
  }

  /** Every 15 s, or as often as a lease lasts, so an operation whose instance died is resumed soon after its lease ends. */
  startSweeper(intervalMs = Math.min(15_000, this.deps.leaseMs)): void {
    this.sweeper = setInterval(() => void this.resumeOpen().catch(() => undefined), intervalMs);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.allSettled([...this.inflight.values()]);
  }

  /** Runs the operation while holding its lease; an operation another live instance holds is left to it. */
  private async execute(operationId: string): Promise<void> {
    const { journal, instanceId, leaseMs } = this.deps;
    const claimed = await journal.claim(operationId, instanceId, leaseMs);
    if (!claimed) return;
    const renewal = setInterval(
      () => {
        journal.renew(operationId, instanceId, leaseMs).then(
          (held) => held || this.deps.logger.warn("lost the lease of a volume operation", { operationId }),
          () => undefined,
        );
      },
      Math.max(100, Math.floor(leaseMs / 3)),
    );
    renewal.unref();
    let outcome: SagaOutcome | undefined = "failed"; // a crash leaves the journal open, like any failure the sweeper retries
    try {
      outcome = await this.advance(claimed);
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      // The journal refused this instance's write: the other instance carries on from the journal (and counts its outcome).
      outcome = undefined;
      this.deps.logger.info("volume operation taken over by another instance", { operationId });
    } finally {
      clearInterval(renewal);
      if (outcome) this.deps.recordOutcome?.(claimed.kind, outcome);
      await journal.release(operationId, instanceId).catch(() => undefined);
    }
  }

  /** Takes the operation forward (or back) as far as it can go in this run, and says how the run ended. */
  private async advance(claimed: VolumeOperationRecord): Promise<SagaOutcome> {
    let op: VolumeOperationRecord = claimed;
    const ctx = await this.context(op);
    const steps = sagaSteps(this.deps, op.kind);
    const current = Math.max(
      0,
      steps.findIndex((s) => s.name === op.step),
    );

    if (op.state === "RUNNING") {
      for (let i = current; i < steps.length; i++) {
        const step = steps[i]!;
        op = ctx.op = await this.deps.journal.update(op.id, this.deps.instanceId, {
          step: step.name,
          attempts: op.step === step.name ? op.attempts : 0,
        });
        try {
          await this.attempt(ctx, step, "forward");
        } catch (error) {
          const reason = `${step.doing}: ${messageOf(error)}`;
          if (steps.slice(0, i).some((s) => s.pointOfNoReturn)) {
            // Past the point of no return the only way out is forward: keep the journal RUNNING for the sweeper.
            await this.deps.journal.update(op.id, this.deps.instanceId, { error: reason });
            this.deps.logger.warn("saga step failed past the point of no return; will retry", {
              operationId: op.id,
              step: step.name,
              reason,
            });
            return "failed";
          }
          op = ctx.op = await this.deps.journal.update(op.id, this.deps.instanceId, { state: "ROLLING_BACK", error: reason });
          break;
        }
      }
      if (op.state === "RUNNING") return "succeeded";
    }
    return this.rollBack(ctx, steps);
  }

  private async rollBack(ctx: SagaContext, steps: Step[]): Promise<SagaOutcome> {
    const from = Math.max(
      0,
      steps.findIndex((s) => s.name === ctx.op.step),
    );
    for (let i = from; i >= 0; i--) {
      const step = steps[i]!;
      if (!step.backward) continue;
      try {
        await this.attempt(ctx, step, "backward");
      } catch (error) {
        // Leave the journal ROLLING_BACK at this step: the sweeper tries again, nothing is left half-undone silently.
        await this.deps.journal.update(ctx.op.id, this.deps.instanceId, { step: step.name });
        this.deps.logger.error("saga rollback step failed; will retry", {
          operationId: ctx.op.id,
          step: step.name,
          error: messageOf(error),
        });
        return "failed";
      }
    }
    const reason = ctx.op.error ?? "unknown error";
    await ctx.transaction(async (tx) => {
      if (ctx.op.kind === "CREATE") {
        await ctx.setVolume(
          {
            status: "FAILED",
            failureReason: `Provisioning failed while ${reason}. Nothing was kept: no disk remains on Proxmox and nothing was charged.`,
          },
          tx,
        );
      } else if (ctx.op.kind === "EXPAND") {
        await ctx.setVolume(
          {
            status: "AVAILABLE",
            failureReason: `Expansion to ${ctx.op.toSizeGiB} GiB failed while ${reason}. The volume is unchanged at ${ctx.volume.sizeGiB} GiB.`,
          },
          tx,
        );
      } else {
        await ctx.setVolume({ status: "AVAILABLE", failureReason: `Deletion failed while ${reason}. The volume was kept as it was.` }, tx);
      }
      await this.deps.journal.update(ctx.op.id, this.deps.instanceId, { state: "FAILED" }, tx);
    });
    this.deps.logger.warn("volume operation rolled back", { operationId: ctx.op.id, kind: ctx.op.kind, reason });
    return "rolled_back";
  }

  private async attempt(ctx: SagaContext, step: Step, direction: "forward" | "backward"): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await step[direction]!(ctx);
        return;
      } catch (error) {
        const transient = error instanceof PlatformError && error.transient;
        if (!transient || attempt >= ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    }
  }

  private async context(op: VolumeOperationRecord): Promise<SagaContext> {
    const volumes = new VolumeRepository(this.deps.db, op.workspaceId);
    const workspace = await this.deps.workspaces.findById(op.workspaceId);
    const volume = await volumes.get(op.volumeId);
    if (!workspace || !volume) throw new Error(`operation ${op.id} refers to a missing workspace or volume`);
    const publish = () => this.deps.pubsub.publish("STORAGE_VOLUME_CHANGED", workspace.id, ctx.volume);
    const ctx: SagaContext = {
      op,
      volume,
      workspace,
      volumes,
      vcluster: () => this.deps.vclusters.forName(workspace.vclusterName),
      setVolume: async (patch, tx) => {
        ctx.volume = await volumes.update(volume.id, patch, tx);
        if (!tx) publish();
        return ctx.volume;
      },
      transaction: async (fn) => {
        try {
          await this.deps.db.transaction(fn);
        } catch (error) {
          // What the failed transaction wrote is gone; so must be the copy of it held here.
          ctx.volume = (await volumes.get(volume.id)) ?? ctx.volume;
          throw error;
        }
        publish();
      },
    };
    return ctx;
  }
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
