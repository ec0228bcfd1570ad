import { AsyncLocalStorage } from "node:async_hooks";
import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { parseResult, type BackupResult } from "@hks/backup-functions";
import type { Database } from "../../db/client.js";
import type { AppPubSub as PubSub } from "../topics.js";
import type { Logger } from "../../logger.js";
import { eachLimited } from "../../kernel/batch.js";
import { toLabBytes } from "../../kernel/units.js";
import { unobserved, type CycleObserver } from "../../observability/metrics.js";
import { JOB, POD } from "../../platform/kubernetes/kinds/cron-job.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { WorkspaceRepository, WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import { holdFence, LeaseLostError, type WorkspaceShare } from "../workspaces/workspace-share.js";
import { BackupRepository, type BackupRecord, type BackupRunRecord, type NewBackupRun } from "./backup.repository.js";
import { runFailure } from "./run-failures.js";
import { checkSchedule, runsBetween } from "./schedule.js";
import { BACKUP_ID_LABEL, CONTAINER, RUN_KIND_LABEL, SOURCE_RUN_ANNOTATION } from "./translation.js";

const SCHEDULED_AT = "batch.kubernetes.io/cronjob-scheduled-timestamp";
/** Workspaces synced at once in a pass (each costs two list requests and a few queries). */
const SYNC_CONCURRENCY = 4;
const KIND = { backup: "BACKUP", restore: "RESTORE", verify: "VERIFY" } as const;

type RunPatch = Partial<Omit<NewBackupRun, "id" | "workspaceId">>;

/** Inside a fenced write: the transaction holding the lease, and the runs to announce once it commits. */
const fenced = new AsyncLocalStorage<{ tx: Database; announce: BackupRunRecord[] }>();

/**
 * Turns the Jobs and Pods of backups into BackupRuns in our database, which outlive the Jobs, and
 * records runs that should have happened and did not as MISSED: silence is never reported as success.
 */
export class BackupRunTracker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  /** Each workspace is synced by one caller at a time (a pass, or syncOne for a workspace just taken over). */
  private readonly syncing = new Map<string, Promise<void>>();

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
      /** With several replicas: only the workspaces this replica holds the lease on, every write fenced by it. */
      share?: WorkspaceShare;
    },
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.sync(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.allSettled([this.running, ...this.syncing.values()]);
  }

  /** Reads one workspace's runs now (one just taken over from a dead replica), without waiting for the next pass. */
  async syncOne(workspaceId: string): Promise<void> {
    const workspace = await this.deps.workspaces.findById(workspaceId);
    if (workspace) await this.exclusive(workspace);
  }

  private exclusive(workspace: WorkspaceWithPlan): Promise<void> {
    const next = (this.syncing.get(workspace.id) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.syncWorkspace(workspace))
      .finally(() => this.syncing.get(workspace.id) === next && this.syncing.delete(workspace.id));
    this.syncing.set(workspace.id, next);
    return next;
  }

  /** One pass over every workspace; overlapping calls share the pass in progress. */
  sync(): Promise<void> {
    this.running ??= (this.deps.observeCycle ?? unobserved)(() => this.syncAll()).finally(() => (this.running = undefined));
    return this.running;
  }

  private async syncAll(): Promise<void> {
    const { share } = this.deps;
    const mine = (await this.deps.workspaces.all()).filter((w) => !share || share.fence(w.id));
    // Workspaces are independent (their own vCluster, their own rows): a few at a time keeps a pass short at scale.
    await eachLimited(mine, SYNC_CONCURRENCY, async (workspace) => {
      try {
        await this.exclusive(workspace);
      } catch (error) {
        this.deps.logger.warn("backup run sync failed", { workspace: workspace.slug, error: String(error) });
      }
    });
  }

  private async syncWorkspace(workspace: WorkspaceWithPlan): Promise<void> {
    const repo = new BackupRepository(this.deps.db, workspace.id);
    const [backups, open] = await Promise.all([repo.listLive(), repo.openRuns()]);
    if (!backups.length && !open.length) return;
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    const selector = `app.kubernetes.io/managed-by=hks,${BACKUP_ID_LABEL}`;
    const [jobs, pods] = await Promise.all([
      client.list<V1Job>(JOB.apiVersion, JOB.kind, undefined, selector),
      client.list<V1Pod>(POD.apiVersion, POD.kind, undefined, selector),
    ]);
    const seen = new Set<string>();
    for (const job of jobs) {
      const name = job.metadata?.name;
      if (!name) continue;
      seen.add(name);
      const jobPods = pods.filter(
        (p) => p.metadata?.labels?.["job-name"] === name || p.metadata?.labels?.["batch.kubernetes.io/job-name"] === name,
      );
      await this.fenced(repo, (r) => this.syncJob(r, client, job, jobPods));
    }
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
    const patch = this.observe(job, pods);
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

  /** What the Job and its newest Pod say about the run. */
  private observe(job: V1Job, pods: V1Pod[]): RunPatch {
    const pod = latestPod(pods);
    const terminated = pod?.status?.containerStatuses?.find((c) => c.name === CONTAINER)?.state?.terminated;
    const started = toDate(job.status?.startTime) ?? toDate(pod?.status?.startTime);
    const failed = job.status?.conditions?.find((c) => c.type === "Failed" && c.status === "True");
    const complete = job.status?.conditions?.find((c) => c.type === "Complete" && c.status === "True");
    const finishedAt = toDate(job.status?.completionTime) ?? toDate(failed?.lastTransitionTime) ?? toDate(terminated?.finishedAt);

    if (complete || failed) {
      const result = inUnitsShown(parseResult(terminated?.message, terminated?.exitCode), toLabBytes(this.deps.labBytesPerGiB));
      const base: RunPatch = {
        startedAt: started,
        finishedAt: finishedAt ?? this.now(),
        result: result as unknown as Record<string, unknown>,
        bytesWritten: result.bytes ?? null,
        files: result.files ?? null,
        snapshot: result.snapshot ?? null,
        message: result.message ?? null,
      };
      if (complete) {
        return {
          ...base,
          status: result.outcome === "PARTIALLY_SUCCEEDED" ? "PARTIALLY_SUCCEEDED" : "SUCCEEDED",
          failureReason: null,
          verifyState: result.verified === true ? "VERIFIED" : result.verified === false ? "FAILED" : undefined,
        };
      }
      if (failed?.reason === "DeadlineExceeded") {
        return {
          ...base,
          status: "FAILED",
          failureReason: "TIMEOUT",
          message: `The run took longer than its deadline and was stopped. ${result.message ?? ""}`.trim(),
        };
      }
      return { ...base, status: "FAILED", ...runFailure(result, failed?.message ?? "The run failed.") };
    }

    const unschedulable = pod?.status?.conditions?.find(
      (c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable",
    );
    if (unschedulable) {
      return {
        status: "MISSED",
        failureReason: "UNSCHEDULABLE",
        message: `The run could not start: no node can mount its volumes (${unschedulable.message ?? "unschedulable"}). It starts as soon as one can.`,
      };
    }
    if (pod?.status?.phase === "Running" || (job.status?.active ?? 0) > 0) return { status: "RUNNING", startedAt: started ?? this.now() };
    return { status: "SCHEDULED" };
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
        kind: run.failureReason === "QUOTA_EXCEEDED" ? "QUOTA_EXCEEDED" : "RUN_FAILED",
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

/** Finished for good; a MISSED run whose pod was unschedulable may still start later. */
const isFinal = (status: BackupRunRecord["status"]) => status === "SUCCEEDED" || status === "PARTIALLY_SUCCEEDED" || status === "FAILED";

function latestPod(pods: V1Pod[]): V1Pod | undefined {
  return [...pods].sort(
    (a, b) => (toDate(b.metadata?.creationTimestamp)?.getTime() ?? 0) - (toDate(a.metadata?.creationTimestamp)?.getTime() ?? 0),
  )[0];
}

/** The one place a run's byte figures take the unit every size in the product is shown in (lab bytes on the lab). */
function inUnitsShown(result: BackupResult, scale: (bytes: number) => number): BackupResult {
  const { bytes, sourceBytes, destFreeBytes, destTotalBytes } = result;
  // restic's own byte counts in the details too (what a backup read, added, and what the repository holds).
  const details = result.details && { ...result.details };
  for (const key of ["bytesRead", "dataAdded", "repoBytes"] as const) {
    const value = details?.[key];
    if (details && typeof value === "number") details[key] = scale(value);
  }
  return {
    ...result,
    ...(details ? { details } : {}),
    bytes: scale(bytes),
    sourceBytes: scale(sourceBytes),
    destFreeBytes: scale(destFreeBytes),
    destTotalBytes: scale(destTotalBytes),
  };
}

function toDate(value: Date | string | undefined | null): Date | undefined {
  if (!value) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a && b && typeof a === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}
