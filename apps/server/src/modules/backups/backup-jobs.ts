import { randomBytes } from "node:crypto";
import type { V1PersistentVolumeClaim } from "@kubernetes/client-node";
import type { Database } from "../../db/client.js";
import { conflict, invalidInput } from "../../kernel/errors.js";
import { fromLabBytes } from "../../kernel/units.js";
import type { Viewer } from "../../kernel/viewer.js";
import { jobManifest, POD } from "../../platform/kubernetes/kinds/cron-job.js";
import { PERSISTENT_VOLUME_CLAIM, restoreTargetClaimManifest } from "../../platform/kubernetes/kinds/persistent-volume-claim.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import { ApplicationRepository } from "../applications/application.repository.js";
import { RESTORED_FROM_BACKUP_ANNOTATION, RESTORED_FROM_RUN_ANNOTATION } from "../applications/restored-claims.js";
import type { AppPubSub as PubSub } from "../topics.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import type { RestoreBackupRunInput } from "./backup.inputs.js";
import type { BackupReconciler } from "./backup-reconciler.js";
import type { BackupLookup, BackupScope } from "./backup-lookup.js";
import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";
import { destinationClaim, destinationVolume, toBackupSpec } from "./backup-spec.js";
import { ensureManagedClaim } from "./destination-claims.js";
import {
  backupLabels,
  backupJobSpec,
  CONTAINER,
  restoreJobSpec,
  type SnapshotSize,
  SOURCE_RUN_ANNOTATION,
  verifyJobSpec,
  type TranslationOptions,
} from "./translation.js";
import { validatePvcName } from "./validation.js";
import { putBackTarget, refuseWhileRunning } from "./safety-restore.js";
import { RestoreSource } from "./off-node-copy.inputs.js";
import { copyRestoreSpec, readsCopyOfSnapshot } from "./off-node-copy-restore.js";

export interface BackupJobsDeps {
  db: Database;
  workspaces: WorkspaceService;
  vclusters: VClusters;
  pubsub: PubSub;
  translation: TranslationOptions;
  reconciler: Pick<BackupReconciler, "ensureKey">;
  /** The lab's scale: run figures are kept in lab bytes, a restore Job measures real ones. */
  labBytesPerGiB?: number;
}

/** One-off Jobs an admin starts from a Backup: a run now, a restore of a run's snapshot, a verification; and their logs. */
export class BackupJobs {
  constructor(
    private readonly deps: BackupJobsDeps,
    private readonly lookup: BackupLookup,
  ) {}

  async runNow(viewer: Viewer, id: string): Promise<BackupRunRecord> {
    const backup = await this.lookup.backup(viewer, id);
    const scope = await this.lookup.adminScope(viewer, await this.lookup.application(viewer, backup.applicationId));
    if (backup.concurrencyPolicy === "FORBID" && (await scope.repo.activeRuns(backup.id)).some((r) => r.kind === "BACKUP")) {
      throw conflict(`A run of '${backup.name}' is in progress; its concurrency policy forbids a second one. Wait for it to finish.`);
    }
    const spec = await this.spec(scope, backup);
    return this.startJob(scope, backup, {
      kind: "BACKUP",
      jobSpec: backupJobSpec(spec, this.deps.translation),
      annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
    });
  }

  async restore(viewer: Viewer, input: RestoreBackupRunInput): Promise<BackupRunRecord> {
    const run = await this.lookup.run(viewer, input.runId);
    const backup = (await this.lookup.repo(run.workspaceId).get(run.backupId, { includeDeleted: true }))!;
    const scope = await this.lookup.adminScope(viewer, await this.lookup.application(viewer, backup.applicationId));
    const snapshot = restorableSnapshot(run);
    const target = validatePvcName(input.targetPvcName, "targetPvcName");
    if (input.overwrite) await refuseWhileRunning(scope.repo, backup);
    // Checked before a target claim is made: a copy that cannot serve the restore changes nothing.
    const fromCopy =
      input.source === RestoreSource.COPY
        ? await copyRestoreSpec(this.deps.db, scope, backup, run, input.createTarget ? null : target)
        : undefined;
    const existing = await scope.client.read<V1PersistentVolumeClaim>({
      ...PERSISTENT_VOLUME_CLAIM,
      metadata: { name: target, namespace: scope.app.namespace },
    });
    if (input.createTarget) {
      if (existing)
        throw conflict(
          `A claim named '${target}' already exists in '${scope.app.namespace}'; restore into it (with overwrite) or choose a new name.`,
          "targetPvcName",
        );
      const size = input.targetSizeGiB;
      if (!size || !Number.isInteger(size) || size < 1 || size > 65_536)
        throw invalidInput("targetSizeGiB", "Give the new claim's size: a whole number of GiB, at least 1.");
      const claim = restoreTargetClaimManifest({
        name: target,
        namespace: scope.app.namespace,
        sizeGiB: size,
        storageClassName: input.targetStorageClassName ?? undefined,
      });
      // Recorded on the claim itself, so the application can tell a restored copy from data nobody backs up.
      const annotations = { [RESTORED_FROM_BACKUP_ANNOTATION]: backup.name, [RESTORED_FROM_RUN_ANNOTATION]: run.id };
      await scope.client.apply({ ...claim, metadata: { ...claim.metadata, annotations } });
    } else if (!existing) {
      throw invalidInput(
        "targetPvcName",
        `No claim named '${target}' in '${scope.app.namespace}'. Pick an existing claim, or ask to create a new one.`,
      );
    }
    const spec = fromCopy ?? (await this.spec(scope, backup));
    const jobSpec = restoreJobSpec(spec, this.deps.translation, {
      snapshot,
      targetClaim: target,
      overwrite: input.overwrite,
      size: fromCopy ? null : snapshotSize(run, fromLabBytes(this.deps.labBytesPerGiB)),
    });
    return this.startJob(scope, backup, {
      kind: "RESTORE",
      jobSpec: fromCopy ? readsCopyOfSnapshot(jobSpec) : jobSpec,
      sourceRun: run,
      restoreTarget: `${scope.app.namespace}/${target}`,
      restoreSource: fromCopy ? "COPY" : "PRIMARY",
      snapshot,
    });
  }

  /** Puts back what a failed overwrite restore replaced: its safety snapshot, into the same claim, as a RESTORE run. */
  async putBack(viewer: Viewer, runId: string): Promise<BackupRunRecord> {
    const run = await this.lookup.run(viewer, runId);
    const backup = (await this.lookup.repo(run.workspaceId).get(run.backupId, { includeDeleted: true }))!;
    const scope = await this.lookup.adminScope(viewer, await this.lookup.application(viewer, backup.applicationId));
    const { snapshot, claim } = putBackTarget(run);
    await refuseWhileRunning(scope.repo, backup);
    const spec = await this.spec(scope, backup);
    return this.startJob(scope, backup, {
      kind: "RESTORE",
      jobSpec: restoreJobSpec(spec, this.deps.translation, { snapshot, targetClaim: claim, overwrite: true }),
      sourceRun: run,
      restoreTarget: `${scope.app.namespace}/${claim}`,
      snapshot,
    });
  }

  async verify(viewer: Viewer, runId: string): Promise<BackupRunRecord> {
    const run = await this.lookup.run(viewer, runId);
    const backup = (await this.lookup.repo(run.workspaceId).get(run.backupId, { includeDeleted: true }))!;
    const scope = await this.lookup.adminScope(viewer, await this.lookup.application(viewer, backup.applicationId));
    const snapshot = restorableSnapshot(run);
    const spec = await this.spec(scope, backup);
    await scope.repo.updateRun(run.id, { verifyState: "VERIFYING" });
    return this.startJob(scope, backup, { kind: "VERIFY", jobSpec: verifyJobSpec(spec, this.deps.translation, snapshot), sourceRun: run });
  }

  /** The run's log: kept once the run ends; read from its pod while it runs. */
  async logs(viewer: Viewer, run: BackupRunRecord): Promise<string | null> {
    if (run.logs !== null) return run.logs;
    if (!run.jobName || !viewer.roles.has(run.workspaceId)) return null;
    const workspace = await this.deps.workspaces.cachedWorkspace(run.workspaceId);
    const backup = await this.lookup.repo(run.workspaceId).get(run.backupId, { includeDeleted: true });
    const app = backup && (await new ApplicationRepository(this.deps.db, run.workspaceId).get(backup.applicationId));
    if (!app) return null;
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    const pods = await client.list<{ metadata?: { name?: string } }>(POD.apiVersion, POD.kind, app.namespace, `job-name=${run.jobName}`);
    const pod = pods.at(-1)?.metadata?.name;
    return pod ? client.podLogs(app.namespace, pod, CONTAINER).catch(() => null) : null;
  }

  async spec(scope: BackupScope, backup: BackupRecord) {
    const volume = await destinationVolume(this.deps.db, scope.workspace.id, backup.destinationVolumeId);
    // A deleted Backup's claim may have been cleaned up: its restore points are mounted through a new one.
    const claim = backup.deletedAt
      ? await ensureManagedClaim(scope.client, volume, scope.app.namespace)
      : await destinationClaim(scope.client, volume, scope.app.namespace);
    return toBackupSpec(backup, scope.app, volume, claim);
  }

  async startJob(
    scope: BackupScope,
    backup: BackupRecord,
    job: {
      kind: "BACKUP" | "RESTORE" | "VERIFY";
      jobSpec: ReturnType<typeof backupJobSpec>;
      annotations?: Record<string, string>;
      sourceRun?: BackupRunRecord;
      restoreTarget?: string;
      restoreSource?: "PRIMARY" | "COPY";
      /** A restore's snapshot as the admin chose it (the primary's id, also when the copy serves it). */
      snapshot?: string;
    },
  ): Promise<BackupRunRecord> {
    // A one-off run must not wait for the next reconcile pass to find its key.
    if (backup.format === "RESTIC") await this.deps.reconciler.ensureKey(scope.workspace, scope.client, scope.app.namespace);
    const suffix = { BACKUP: "m", RESTORE: "r", VERIFY: "v" }[job.kind];
    const name = `${backup.cronJobName}-${suffix}${randomBytes(3).toString("hex")}`;
    const labels = backupLabels({ id: backup.id, applicationId: scope.app.id }, job.kind.toLowerCase() as "backup");
    const annotations = { ...job.annotations, ...(job.sourceRun ? { [SOURCE_RUN_ANNOTATION]: job.sourceRun.id } : {}) };
    // Recorded before the Job exists, so the run is visible at once and the tracker has a row to follow.
    const run = await scope.repo.insertRun({
      backupId: backup.id,
      kind: job.kind,
      trigger: "MANUAL",
      status: "SCHEDULED",
      jobName: name,
      scheduledAt: new Date(),
      sourceRunId: job.sourceRun?.id,
      restoreTarget: job.restoreTarget,
      restoreSource: job.restoreSource,
      snapshot: job.snapshot,
    });
    try {
      await scope.client.apply(jobManifest({ name, namespace: scope.app.namespace, labels, annotations, jobSpec: job.jobSpec }));
    } catch (error) {
      await scope.repo.updateRun(run.id, {
        status: "FAILED",
        failureReason: "ERROR",
        message: `The Job could not be created: ${(error as Error).message}`,
        finishedAt: new Date(),
      });
      throw error;
    }
    this.deps.pubsub.publish("BACKUP_RUN_CHANGED", scope.app.id, run);
    return run;
  }
}

/** A restic snapshot's size as its run reported it (restic's bytes read and files processed); null when not known. */
function snapshotSize(run: BackupRunRecord, toMachineBytes: (shown: number) => number): SnapshotSize | null {
  const result = run.result as { format?: string; details?: { bytesRead?: unknown } } | null;
  const bytes = result?.format === "restic" ? result.details?.bytesRead : undefined;
  return typeof bytes === "number" && typeof run.files === "number" ? { bytes: toMachineBytes(bytes), files: run.files } : null;
}

function restorableSnapshot(run: BackupRunRecord): string {
  if (run.kind !== "BACKUP" || (run.status !== "SUCCEEDED" && run.status !== "PARTIALLY_SUCCEEDED") || !run.snapshot) {
    throw invalidInput("runId", "Only a successful backup run has a snapshot to restore or verify.");
  }
  if (run.prunedAt) throw invalidInput("runId", `The snapshot ${run.snapshot} was removed by retention on ${run.prunedAt.toISOString()}.`);
  return run.snapshot;
}
