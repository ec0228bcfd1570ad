import type { V1Job, V1Pod } from "@kubernetes/client-node";
import { parseResult, type BackupResult } from "@hks/backup-functions";
import type { Database } from "../../db/client.js";
import type { AppPubSub as PubSub } from "../topics.js";
import type { Logger } from "../../logger.js";
import { toLabBytes } from "../../kernel/units.js";
import { unobserved, type CycleObserver } from "../../observability/metrics.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { WorkspaceRepository, WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import { BackupRepository, type BackupRecord, type BackupRunRecord, type NewBackupRun } from "./backup.repository.js";
import type { OffNodeCopier } from "./off-node-copy.js";
import type { Watches } from "../cluster-watches.js";
import { backupJobsAndPods, followRunChanges, jobNameOf, Turns } from "./run-changes.js";
import { runFailure } from "./run-failures.js";
import { checkSchedule, runsBetween } from "./schedule.js";
import { BACKUP_ID_LABEL, CONTAINER, RUN_KIND_LABEL, SOURCE_RUN_ANNOTATION } from "./translation.js";

const SCHEDULED_AT = "batch.kubernetes.io/cronjob-scheduled-timestamp";
const KIND = { backup: "BACKUP", restore: "RESTORE", verify: "VERIFY" } as const;

type RunPatch = Partial<Omit<NewBackupRun, "id" | "workspaceId">>;

/** What a pass looks at: every Job, none (missed runs and lost Jobs only), or the Jobs named. */
type PassScope = "all" | "none" | Set<string>;

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

  /** One pass over every workspace and every Job; overlapping calls share the pass in progress. */
  sync(): Promise<void> {
    return this.pass("all");
  }

  private pass(scope: "all" | "none"): Promise<void> {
    this.running ??= (this.deps.observeCycle ?? unobserved)(() => this.syncAll(scope)).finally(() => (this.running = undefined));
    return this.running;
  }

  private async syncAll(scope: PassScope): Promise<void> {
    const all = await this.deps.workspaces.all();
    this.byVCluster = new Map(all.map((w) => [w.vclusterName, w]));
    for (const workspace of all) await this.inTurn(workspace, scope);
  }

  /** The Jobs a watch says changed: looked at now, not at the next pass; again a little later when that failed. */
  private async syncChanged(vcluster: string, names: Set<string>, attempt = 0): Promise<void> {
    let workspace = this.byVCluster.get(vcluster);
    if (!workspace) {
      const all = await this.deps.workspaces.all();
      this.byVCluster = new Map(all.map((w) => [w.vclusterName, w]));
      workspace = this.byVCluster.get(vcluster);
    }
    if (!workspace || (await this.inTurn(workspace, names)) || attempt >= 5 || !this.stopFeed) return;
    setTimeout(() => void this.syncChanged(vcluster, names, attempt + 1), 500 * 2 ** attempt).unref();
  }

  /** Whether the workspace's sync went through (a failure is logged). */
  private async inTurn(workspace: WorkspaceWithPlan, scope: PassScope): Promise<boolean> {
    let ok = true;
    await this.turns.run(workspace.id, () =>
      this.syncWorkspace(workspace, scope).catch((error: unknown) => {
        ok = false;
        this.deps.logger.warn("backup run sync failed", { workspace: workspace.slug, error: String(error) });
      }),
    );
    return ok;
  }

  private async syncWorkspace(workspace: WorkspaceWithPlan, scope: PassScope = "all"): Promise<void> {
    const repo = new BackupRepository(this.deps.db, workspace.id);
    const [backups, open] = await Promise.all([repo.listLive(), repo.openRuns()]);
    if (!backups.length && !open.length) return;
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    const { jobs, pods } = await backupJobsAndPods(workspace.vclusterName, client, this.deps.watches);
    const seen = new Set<string>();
    for (const job of jobs) {
      const name = job.metadata?.name;
      if (!name) continue;
      seen.add(name);
      if (scope === "none" || (scope !== "all" && !scope.has(name))) continue;
      const jobPods = pods.filter((p) => jobNameOf(p.metadata?.labels) === name);
      await this.syncJob(repo, client, job, jobPods);
    }
    // What events cannot tell (a Job gone unseen, a schedule that never fired) is the periodic pass's.
    if (scope instanceof Set) return;
    for (const run of open) {
      if (!run.jobName || seen.has(run.jobName)) continue;
      // A run is recorded before its Job is created; only a run older than that window has truly lost its Job.
      if (Date.now() - run.createdAt.getTime() < 30_000) continue;
      await this.save(repo, run, {
        status: "FAILED",
        failureReason: "ERROR",
        message: "The run's Job disappeared from the cluster before it reported a result.",
        finishedAt: this.now(),
      });
    }
    for (const backup of backups) await this.detectMissed(repo, backup);
    if (backups.some((b) => b.copyVolumeId)) await this.deps.copier?.sync(workspace, client);
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
      await this.deps.db.transaction(async (tx) => {
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
          this.deps.pubsub.publish("BACKUP_RUN_CHANGED", backup.applicationId, missed);
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
