import { AsyncLocalStorage } from "node:async_hooks";
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import type { BackupResult } from "@hks/backup-functions";
import type { Database } from "../../db/client.js";
import type { AppPubSub as PubSub } from "../topics.js";
import type { Logger } from "../../logger.js";
import { eachLimited } from "../../kernel/batch.js";
import { toLabBytes } from "../../kernel/units.js";
import { unobserved, type CycleObserver } from "../../observability/metrics.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { WorkspaceRepository, WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import { holdFence, LeaseLostError, type WorkspaceShare } from "../workspaces/workspace-share.js";
import { BackupRepository, type BackupRecord, type BackupRunRecord } from "./backup.repository.js";
import type { OffNodeCopier } from "./off-node-copy.js";
import type { Watches } from "../cluster-watches.js";
import { NotFollowedError } from "../../platform/kubernetes/cluster-watches.js";
import { backupJobsAndPods, followRunChanges, jobNameOf, Turns } from "./run-changes.js";
import { isFinal, latestPod, observeRun, same, toDate, type RunPatch } from "./run-observation.js";
import { checkSchedule, runsBetween } from "./schedule.js";
import { BACKUP_ID_LABEL, CONTAINER, RUN_KIND_LABEL, SOURCE_RUN_ANNOTATION } from "./translation.js";

const SCHEDULED_AT = "batch.kubernetes.io/cronjob-scheduled-timestamp";
/** Workspaces synced at once in a pass (each costs two list requests and a few queries). */
const SYNC_CONCURRENCY = 4;
const KIND = { backup: "BACKUP", restore: "RESTORE", verify: "VERIFY" } as const;

/** What a pass looks at: every Job, none (missed runs and lost Jobs only), or the Jobs named. */
type PassScope = "all" | "none" | Set<string>;
/** Inside a fenced write: the transaction holding the lease, and the runs to announce once it commits. */
const fenced = new AsyncLocalStorage<{ tx: Database; announce: BackupRunRecord[] }>();

/**
 * Turns the Jobs and Pods of backups into BackupRuns in our database, which outlive the Jobs, and
 * records runs that should have happened and did not as MISSED: silence is never reported as success.
 * With watches, a changed Job is looked at as soon as its event arrives; the periodic pass only finds missed runs
 * and lost Jobs (from the watch caches, without asking the vClusters), and looks at every Job once per `resyncMs`.
 */
export class BackupRunTracker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopFeed?: () => void;
  private lastResync = 0;
  /** Per workspace, the work in progress: events and passes take turns, so a Job never becomes two runs. */
  private readonly turns = new Turns();
  private byVCluster = new Map<string, WorkspaceWithPlan>();

  constructor(
    private readonly deps: {
      db: Database;
      vclusters: VClusters;
      workspaces: WorkspaceRepository;
      pubsub: PubSub;
      logger: Logger;
      /** How late a scheduled run may start before it counts as missed (the CronJob's startingDeadlineSeconds plus slack). */
      missedAfterSeconds: number;
      now?: () => Date;
      observeCycle?: CycleObserver;
      /** On the lab: real bytes per lab GiB, so a run's sizes read in the unit of the volume usage beside them. */
      labBytesPerGiB?: number;
      /** Copies finished runs off-node; runs on each pass, after the runs are up to date. */
      copier?: Pick<OffNodeCopier, "sync">;
      /** The vClusters' Jobs and Pods by watch; without it every pass lists them (one list each per workspace). */
      watches?: Watches;
      /** With watches: how often the periodic pass also looks at every Job (default 5 minutes). */
      resyncMs?: number;
      /** With several replicas: only the workspaces this replica holds the lease on, every write fenced by it. */
      share?: WorkspaceShare;
    },
  ) {}

  start(intervalMs: number): void {
    if (this.deps.watches) {
      this.stopFeed = followRunChanges(this.deps.watches, (vcluster, names) => void this.syncChanged(vcluster, names));
      this.lastResync = Date.now();
      void this.pass("all");
    }
    this.timer = setInterval(() => {
      const resync = !this.deps.watches || Date.now() - this.lastResync >= (this.deps.resyncMs ?? 300_000);
      if (resync) this.lastResync = Date.now();
      void this.pass(resync ? "all" : "none");
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopFeed?.();
    this.stopFeed = undefined;
    await this.running;
    await this.turns.idle();
  }

  /** Reads one workspace's runs now (one just taken over from a dead replica), without waiting for the next pass. */
  async syncOne(workspaceId: string): Promise<void> {
    const workspace = await this.deps.workspaces.findById(workspaceId);
    if (workspace) await this.inTurn(workspace, "all");
  }

  /** One pass over every workspace and every Job; overlapping calls share the pass in progress. */
  sync(): Promise<void> {
    return this.pass("all");
  }

  private pass(scope: "all" | "none"): Promise<void> {
    this.running ??= (this.deps.observeCycle ?? unobserved)(() => this.syncAll(scope)).finally(() => (this.running = undefined));
    return this.running;
  }

  private async syncAll(scope: PassScope): Promise<void> {
    const { share } = this.deps;
    const all = await this.deps.workspaces.all();
    this.byVCluster = new Map(all.map((w) => [w.vclusterName, w]));
    const mine = all.filter((w) => !share || share.fence(w.id));
    // Workspaces are independent (their own vCluster, their own rows): a few at a time keeps a pass short at scale.
    await eachLimited(mine, SYNC_CONCURRENCY, async (workspace) => {
      await this.inTurn(workspace, scope);
    });
  }

  /** The Jobs a watch says changed: looked at now, not at the next pass; again a little later when that failed. */
  private async syncChanged(vcluster: string, names: Set<string>, attempt = 0): Promise<void> {
    let workspace = this.byVCluster.get(vcluster);
    if (!workspace) {
      const all = await this.deps.workspaces.all();
      this.byVCluster = new Map(all.map((w) => [w.vclusterName, w]));
      workspace = this.byVCluster.get(vcluster);
    }
    // Another replica's workspace: its owner has the same watch.
    if (workspace && this.deps.share && !this.deps.share.fence(workspace.id)) return;
    if (!workspace || (await this.inTurn(workspace, names)) || attempt >= 5 || !this.stopFeed) return;
    setTimeout(() => void this.syncChanged(vcluster, names, attempt + 1), 500 * 2 ** attempt).unref();
  }

  /** Whether the workspace's sync went through (a failure is logged). */
  private async inTurn(workspace: WorkspaceWithPlan, scope: PassScope): Promise<boolean> {
    let ok = true;
    await this.turns.run(workspace.id, () =>
      this.syncWorkspace(workspace, scope).catch((error: unknown) => {
        ok = false;
        // The workspace moved to another replica mid-sync (a rebalance): its new owner syncs it; nothing went wrong.
        const moved = error instanceof LeaseLostError || error instanceof NotFollowedError;
        this.deps.logger[moved ? "info" : "warn"](
          moved ? "backup run sync left to the workspace's new replica" : "backup run sync failed",
          {
            workspace: workspace.slug,
            error: String(error),
          },
        );
      }),
    );
    return ok;
  }

  private async syncWorkspace(workspace: WorkspaceWithPlan, scope: PassScope = "all"): Promise<void> {
    const repo = new BackupRepository(this.deps.db, workspace.id);
    const [backups, open] = await Promise.all([repo.listLive(), repo.openRuns()]);
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    // A copy may still be in progress for a Backup deleted since: the copier ends it.
    if (!backups.length && !open.length) return scope === "all" ? this.deps.copier?.sync(workspace, client) : undefined;
    const { jobs, pods } = await backupJobsAndPods(workspace.vclusterName, client, this.deps.watches);
    const seen = new Set<string>();
    for (const job of jobs) {
      const name = job.metadata?.name;
      if (!name) continue;
      seen.add(name);
      if (scope === "none" || (scope !== "all" && !scope.has(name))) continue;
      const jobPods = pods.filter((p) => jobNameOf(p.metadata?.labels) === name);
      await this.fenced(repo, (r) => this.syncJob(r, client, job, jobPods));
    }
    // What events cannot tell (a Job gone unseen, a schedule that never fired) is the periodic pass's.
    if (scope instanceof Set) return;
    for (const run of open) {
      if (!run.jobName || seen.has(run.jobName)) continue;
      // A run is recorded before its Job is created; only a run older than that window has truly lost its Job.
      if (Date.now() - run.createdAt.getTime() < 30_000) continue;
      await this.fenced(repo, (r) =>
        this.save(r, run, {
          status: "FAILED",
          failureReason: "ERROR",
          message: "The run's Job disappeared from the cluster before it reported a result.",
          finishedAt: this.now(),
        }),
      );
    }
    for (const backup of backups) await this.fenced(repo, (r) => this.detectMissed(r, backup));
    // Also without a copy destination: a copy in progress whose destination was removed is ended there.
    await this.deps.copier?.sync(workspace, client);
  }

  /**
   * Runs a workspace's writes in one transaction that holds this replica's lease on it (holdFence), announcing the
   * changed runs only after it commits; a replica whose lease lapsed or moved writes nothing. Unsharded: as is.
   */
  private async fenced<T>(repo: BackupRepository, write: (repo: BackupRepository) => Promise<T>): Promise<T> {
    if (!this.deps.share) return write(repo);
    const fence = this.deps.share.fence(repo.workspaceId);
    if (!fence) throw new LeaseLostError(repo.workspaceId);
    const context = { tx: this.deps.db, announce: [] as BackupRunRecord[] };
    const result = await this.deps.db.transaction(async (tx) => {
      await holdFence(tx, fence);
      context.tx = tx;
      return fenced.run(context, () => write(new BackupRepository(tx, repo.workspaceId)));
    });
    for (const run of context.announce) await this.announce(repo, run);
    return result;
  }

  private async syncJob(repo: BackupRepository, client: VClusterClient, job: V1Job, pods: V1Pod[]): Promise<void> {
    const labels = job.metadata?.labels ?? {};
    const backupId = labels[BACKUP_ID_LABEL];
    if (!backupId) return;
    const name = job.metadata!.name!;
    let run = await repo.runByJob(name);
    if (run && isFinal(run.status) && run.logs !== null) return;
    const kind = KIND[(labels[RUN_KIND_LABEL] ?? "backup") as keyof typeof KIND] ?? "BACKUP";
    const annotations = job.metadata?.annotations ?? {};
    if (!run) {
      const backup = await repo.get(backupId, { includeDeleted: true });
      if (!backup) return;
      run = await repo.insertRun({
        backupId,
        kind,
        trigger: annotations["cronjob.kubernetes.io/instantiate"] === "manual" ? "MANUAL" : "SCHEDULE",
        status: "SCHEDULED",
        jobName: name,
        scheduledAt: annotations[SCHEDULED_AT]
          ? new Date(annotations[SCHEDULED_AT])
          : (toDate(job.metadata?.creationTimestamp) ?? this.now()),
        sourceRunId: annotations[SOURCE_RUN_ANNOTATION],
      });
    }
    const patch = observeRun(job, pods, { now: this.now(), scale: toLabBytes(this.deps.labBytesPerGiB) });
    // A restore keeps the snapshot the admin chose; from the copy the function reports the copy's own id (kept in result).
    if (run.kind === "RESTORE" && run.snapshot) delete patch.snapshot;
    if (patch.status && isFinal(patch.status) && run.logs === null) {
      const pod = latestPod(pods);
      if (pod?.metadata?.name) {
        patch.podName = pod.metadata.name;
        patch.logs = await client
          .podLogs(pod.metadata.namespace!, pod.metadata.name, CONTAINER)
          .catch(() => "(the pod's log could not be read)");
      } else {
        patch.logs = "";
      }
    }
    if (patch.status && isFinal(patch.status) && !isFinal(run.status)) {
      // The outcome and its consequences (pruned snapshots, the checked run's verify state, the event) commit together:
      // whoever sees the run finished also sees what it pruned.
      const changed: BackupRunRecord[] = [];
      const before = run;
      await (fenced.getStore()?.tx ?? this.deps.db).transaction(async (tx) => {
        const inTx = new BackupRepository(tx, repo.workspaceId);
        const saved = await this.write(inTx, before, patch);
        if (saved === before) return;
        changed.push(saved, ...(await this.afterFinish(inTx, saved)));
      });
      for (const r of changed) await this.announce(repo, r);
      return;
    }
    const saved = await this.write(repo, run, patch);
    if (saved !== run) await this.announce(repo, saved);
  }

  private async save(repo: BackupRepository, run: BackupRunRecord, patch: RunPatch): Promise<BackupRunRecord> {
    const saved = await this.write(repo, run, patch);
    if (saved !== run) await this.announce(repo, saved);
    return saved;
  }

  /** Writes what changed; the same record when nothing did. */
  private async write(repo: BackupRepository, run: BackupRunRecord, patch: RunPatch): Promise<BackupRunRecord> {
    const changed = Object.entries(patch).some(([k, v]) => v !== undefined && !same((run as Record<string, unknown>)[k], v));
    return changed ? repo.updateRun(run.id, patch) : run;
  }

  /** Tells the application's subscribers of a run's new state (once it is committed). */
  private async announce(repo: BackupRepository, run: BackupRunRecord): Promise<void> {
    const pending = fenced.getStore();
    if (pending) return void pending.announce.push(run);
    const backup = await repo.get(run.backupId, { includeDeleted: true });
    if (backup?.applicationId) this.deps.pubsub.publish("BACKUP_RUN_CHANGED", backup.applicationId, run);
  }

  /**
   * Consequences of a finished run, written with its outcome: pruned snapshots, verification of the run it checked,
   * events for the agents. Returns the other runs it changed.
   */
  private async afterFinish(repo: BackupRepository, run: BackupRunRecord): Promise<BackupRunRecord[]> {
    const result = (run.result ?? {}) as Partial<BackupResult>;
    const changed: BackupRunRecord[] = [];
    if (run.kind === "BACKUP" && Array.isArray(result.pruned))
      await repo.markPruned(run.backupId, result.pruned, run.finishedAt ?? this.now());
    if (run.kind === "VERIFY" && run.sourceRunId) {
      changed.push(await repo.updateRun(run.sourceRunId, { verifyState: run.status === "SUCCEEDED" ? "VERIFIED" : "FAILED" }));
    }
    if (run.status === "FAILED") {
      const payload = { jobName: run.jobName, reason: run.failureReason, message: run.message, result };
      await repo.recordEvent({
        backupId: run.backupId,
        runId: run.id,
        // A restore short of room is not a backup volume to expand: it is told by its own message, never as a quota notice.
        kind: run.failureReason === "QUOTA_EXCEEDED" && run.kind === "BACKUP" ? "QUOTA_EXCEEDED" : "RUN_FAILED",
        payload,
      });
    }
    return changed;
  }

  /** Scheduled times that passed their starting deadline with no Job become MISSED runs, once each. */
  private async detectMissed(repo: BackupRepository, backup: BackupRecord): Promise<void> {
    if (backup.suspended) {
      await repo.update(backup.id, { missedCheckedUntil: this.now() });
      return;
    }
    const check = checkSchedule(backup.schedule, backup.timeZone);
    if (!check.ok) return;
    const until = new Date(this.now().getTime() - this.deps.missedAfterSeconds * 1000);
    const from = backup.missedCheckedUntil ?? backup.createdAt;
    if (until <= from) return;
    const due = runsBetween(check.expression, backup.timeZone, from, until);
    if (due.length) {
      const recent = await repo.runs(backup.id, { first: 200 });
      for (const at of due) {
        const ran = recent.some(
          (r) =>
            r.kind === "BACKUP" && r.trigger === "SCHEDULE" && r.scheduledAt && Math.abs(r.scheduledAt.getTime() - at.getTime()) < 60_000,
        );
        if (ran) continue;
        const missed = await repo.insertMissed({
          backupId: backup.id,
          kind: "BACKUP",
          trigger: "SCHEDULE",
          scheduledAt: at,
          failureReason: null,
          message: `No run started for the ${at.toISOString()} schedule (the cluster did not start the job before its deadline).`,
          finishedAt: this.now(),
        });
        if (missed) {
          if (fenced.getStore()) fenced.getStore()!.announce.push(missed);
          else this.deps.pubsub.publish("BACKUP_RUN_CHANGED", backup.applicationId, missed);
          await repo.recordEvent({ backupId: backup.id, runId: missed.id, kind: "RUN_MISSED", payload: { scheduledAt: at.toISOString() } });
        }
      }
    }
    await repo.update(backup.id, { missedCheckedUntil: until });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
