import { randomBytes, randomUUID } from "node:crypto";
import type { V1PersistentVolume, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { planPrune } from "@hks/backup-functions";
import type { Database } from "../../db/client.js";
import type { BackupFunctionParams, RetentionPolicy } from "../../db/schema/backups.js";
import type { Viewer } from "../../kernel/viewer.js";
import { conflict, invalidInput, notFound } from "../../kernel/errors.js";
import type { AppPubSub as PubSub } from "../topics.js";
import { jobManifest, POD } from "../../platform/kubernetes/kinds/cron-job.js";
import { PERSISTENT_VOLUME_CLAIM, restoreTargetClaimManifest } from "../../platform/kubernetes/kinds/persistent-volume-claim.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import { ApplicationRepository, type ApplicationRecord } from "../applications/application.repository.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import type { BackupFunctionInput, CreateBackupInput, RestoreBackupRunInput, RetentionInput, UpdateBackupInput } from "./backup.inputs.js";
import type { BackupReconciler } from "./backup-reconciler.js";
import { BackupRepository, type BackupRecord, type BackupRunRecord } from "./backup.repository.js";
import { destinationClaim, destinationVolume, toBackupSpec } from "./backup-spec.js";
import { checkSchedule, describeSchedule, nextRuns, shortestIntervalMinutes } from "./schedule.js";
import {
  backupLabels,
  backupJobSpec,
  CONTAINER,
  cronJobNameFor,
  restoreJobSpec,
  SOURCE_RUN_ANNOTATION,
  verifyJobSpec,
  type TranslationOptions,
} from "./translation.js";
import {
  validateBackupName,
  validateDatabase,
  validateDestinationPath,
  validateImage,
  validatePvcName,
  validateRetention,
  validateScript,
} from "./validation.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATABASE_FUNCTIONS = new Set(["PG_DUMP", "MYSQLDUMP"]);

export interface BackupServiceDeps {
  db: Database;
  workspaces: WorkspaceService;
  vclusters: VClusters;
  reconciler: BackupReconciler;
  pubsub: PubSub;
  translation: TranslationOptions;
}

interface Scope {
  workspace: WorkspaceWithPlan;
  app: ApplicationRecord;
  repo: BackupRepository;
  client: VClusterClient;
}

/** The rules of Backups (spec 3.2, 4.3): what a valid backup is, who may change it, and how runs are started. */
export class BackupService {
  constructor(private readonly deps: BackupServiceDeps) {}

  // ---- reading ----

  async application(viewer: Viewer, id: string): Promise<ApplicationRecord> {
    for (const workspaceId of viewer.roles.keys()) {
      const app = UUID.test(id) ? await new ApplicationRepository(this.deps.db, workspaceId).get(id) : undefined;
      if (app) return app;
    }
    throw notFound(`Application '${id}'`);
  }

  applications(workspace: WorkspaceWithPlan): Promise<ApplicationRecord[]> {
    return new ApplicationRepository(this.deps.db, workspace.id).list();
  }

  backups(app: ApplicationRecord): Promise<BackupRecord[]> {
    return this.repo(app.workspaceId).listForApplication(app.id);
  }

  async backup(viewer: Viewer, id: string): Promise<BackupRecord> {
    for (const workspaceId of viewer.roles.keys()) {
      const backup = UUID.test(id) ? await this.repo(workspaceId).get(id) : undefined;
      if (backup) return backup;
    }
    throw notFound(`Backup '${id}'`);
  }

  async run(viewer: Viewer, id: string): Promise<BackupRunRecord> {
    for (const workspaceId of viewer.roles.keys()) {
      const run = UUID.test(id) ? await this.repo(workspaceId).run(id) : undefined;
      if (run) return run;
    }
    throw notFound(`Backup run '${id}'`);
  }

  runs(backup: BackupRecord, first: number, before?: Date) {
    return this.repo(backup.workspaceId).runs(backup.id, { first: Math.min(Math.max(first, 1), 200), before });
  }

  countRuns(backup: BackupRecord) {
    return this.repo(backup.workspaceId).countRuns(backup.id);
  }

  lastRun(backup: BackupRecord) {
    return this.repo(backup.workspaceId).lastRun(backup.id);
  }

  nextRuns(backup: BackupRecord, count: number): Date[] {
    if (backup.suspended) return [];
    const check = checkSchedule(backup.schedule, backup.timeZone);
    return check.ok ? nextRuns(check.expression, backup.timeZone, Math.min(Math.max(count, 1), 20)) : [];
  }

  describe(backup: BackupRecord): string {
    return describeSchedule(backup.schedule, backup.timeZone);
  }

  /** Which snapshots the next prune (after the next successful run) will remove, by the same rules the job applies. */
  async prunePreview(backup: BackupRecord): Promise<BackupRunRecord[]> {
    const live = await this.repo(backup.workspaceId).liveSnapshots(backup.id);
    const next = this.nextRuns(backup, 1)[0] ?? new Date();
    const snapshots = [...live.map((r) => ({ name: r.snapshot!, time: r.finishedAt ?? r.createdAt })), { name: "(next run)", time: next }];
    const { remove } = planPrune(snapshots, toPolicy(backup.retention), backup.timeZone);
    const removed = new Set(remove);
    return live.filter((r) => removed.has(r.snapshot!));
  }

  /** The schedule in words and its next runs, for a form that is being filled in. */
  preview(schedule: string, timeZone: string) {
    const check = checkSchedule(schedule, timeZone);
    if (!check.ok) return { valid: false, error: check.message, field: check.field, description: null, nextRuns: [] };
    return {
      valid: true,
      error: null,
      field: null,
      description: describeSchedule(schedule, timeZone),
      nextRuns: nextRuns(check.expression, timeZone, 5),
    };
  }

  // ---- changing ----

  async create(viewer: Viewer, input: CreateBackupInput): Promise<BackupRecord> {
    const scope = await this.adminScope(viewer, await this.application(viewer, input.applicationId));
    const name = validateBackupName(input.name);
    if (await scope.repo.liveByName(scope.app.id, name))
      throw conflict(`'${scope.app.name}' already has a backup named '${name}'.`, "name");
    const fields = await this.checkedFields(scope, {
      schedule: input.schedule,
      timeZone: input.timeZone,
      source: input.source,
      destination: input.destination,
      fn: input.function,
      retention: input.retention,
    });
    const id = randomUUID();
    const backup = await scope.repo.insert({
      id,
      applicationId: scope.app.id,
      name,
      ...fields,
      concurrencyPolicy: input.concurrencyPolicy,
      suspended: input.suspended,
      verifyAfterRun: input.verifyAfterRun,
      cronJobName: cronJobNameFor({ name, id }),
    });
    try {
      await this.deps.reconciler.reconcile(backup);
    } catch (error) {
      // A backup that is not on the cluster would silently never run: undo it and say why.
      await scope.repo.remove(backup.id);
      throw error;
    }
    return (await scope.repo.get(backup.id))!;
  }

  async update(viewer: Viewer, input: UpdateBackupInput): Promise<BackupRecord> {
    const current = await this.backup(viewer, input.id);
    const scope = await this.adminScope(viewer, await this.application(viewer, current.applicationId));
    const fields = await this.checkedFields(scope, {
      schedule: input.schedule ?? current.schedule,
      timeZone: input.timeZone ?? current.timeZone,
      source: input.source ?? { pvcName: current.sourcePvcName },
      destination: input.destination ?? { volumeId: current.destinationVolumeId, path: current.destinationPath },
      fn: input.function ?? fromParams(current.functionKind, current.functionParams),
      retention: input.retention ?? current.retention,
    });
    const updated = await scope.repo.update(current.id, {
      ...fields,
      concurrencyPolicy: input.concurrencyPolicy ?? current.concurrencyPolicy,
      verifyAfterRun: input.verifyAfterRun ?? current.verifyAfterRun,
    });
    await this.reconcileOrRevert(scope, current, updated);
    return (await scope.repo.get(current.id))!;
  }

  async setSuspended(viewer: Viewer, id: string, suspended: boolean): Promise<BackupRecord> {
    const current = await this.backup(viewer, id);
    const scope = await this.adminScope(viewer, await this.application(viewer, current.applicationId));
    const updated = await scope.repo.update(current.id, { suspended });
    await this.reconcileOrRevert(scope, current, updated);
    return (await scope.repo.get(current.id))!;
  }

  async delete(viewer: Viewer, id: string): Promise<BackupRecord> {
    const current = await this.backup(viewer, id);
    const scope = await this.adminScope(viewer, await this.application(viewer, current.applicationId));
    // The CronJob goes first: a Backup marked deleted while its CronJob still fires would run unseen.
    await this.deps.reconciler.remove(current, scope.app.namespace);
    return scope.repo.update(current.id, { deletedAt: new Date() });
  }

  async runNow(viewer: Viewer, id: string): Promise<BackupRunRecord> {
    const backup = await this.backup(viewer, id);
    const scope = await this.adminScope(viewer, await this.application(viewer, backup.applicationId));
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
    const run = await this.run(viewer, input.runId);
    const backup = (await this.repo(run.workspaceId).get(run.backupId, { includeDeleted: true }))!;
    const scope = await this.adminScope(viewer, await this.application(viewer, backup.applicationId));
    const snapshot = restorableSnapshot(run);
    const target = validatePvcName(input.targetPvcName, "targetPvcName");
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
      await scope.client.apply(
        restoreTargetClaimManifest({
          name: target,
          namespace: scope.app.namespace,
          sizeGiB: size,
          storageClassName: input.targetStorageClassName ?? undefined,
        }),
      );
    } else if (!existing) {
      throw invalidInput(
        "targetPvcName",
        `No claim named '${target}' in '${scope.app.namespace}'. Pick an existing claim, or ask to create a new one.`,
      );
    }
    const spec = await this.spec(scope, backup);
    return this.startJob(scope, backup, {
      kind: "RESTORE",
      jobSpec: restoreJobSpec(spec, this.deps.translation, { snapshot, targetClaim: target, overwrite: input.overwrite }),
      sourceRun: run,
      restoreTarget: `${scope.app.namespace}/${target}`,
    });
  }

  async verify(viewer: Viewer, runId: string): Promise<BackupRunRecord> {
    const run = await this.run(viewer, runId);
    const backup = (await this.repo(run.workspaceId).get(run.backupId, { includeDeleted: true }))!;
    const scope = await this.adminScope(viewer, await this.application(viewer, backup.applicationId));
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
    const backup = await this.repo(run.workspaceId).get(run.backupId, { includeDeleted: true });
    const app = backup && (await new ApplicationRepository(this.deps.db, run.workspaceId).get(backup.applicationId));
    if (!app) return null;
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    const pods = await client.list<{ metadata?: { name?: string } }>(POD.apiVersion, POD.kind, app.namespace, `job-name=${run.jobName}`);
    const pod = pods.at(-1)?.metadata?.name;
    return pod ? client.podLogs(app.namespace, pod, CONTAINER).catch(() => null) : null;
  }

  /** Live changes of an application's runs, for members of its workspace. */
  async subscribe(viewer: Viewer, applicationId: string) {
    await this.application(viewer, applicationId);
    return this.deps.pubsub.subscribe("BACKUP_RUN_CHANGED", applicationId);
  }

  // ---- internals ----

  private repo(workspaceId: string) {
    return new BackupRepository(this.deps.db, workspaceId);
  }

  private async adminScope(viewer: Viewer, app: ApplicationRecord): Promise<Scope> {
    const { workspace } = await this.deps.workspaces.requireAdmin(viewer, app.workspaceId);
    return { workspace, app, repo: this.repo(workspace.id), client: this.deps.vclusters.forName(workspace.vclusterName) };
  }

  private async spec(scope: Scope, backup: BackupRecord) {
    const volume = await destinationVolume(this.deps.db, scope.workspace.id, backup.destinationVolumeId);
    return toBackupSpec(backup, scope.app, volume, await destinationClaim(scope.client, volume, scope.app.namespace));
  }

  private async reconcileOrRevert(scope: Scope, before: BackupRecord, after: BackupRecord) {
    try {
      await this.deps.reconciler.reconcile(after);
    } catch (error) {
      // The cluster kept the old CronJob; so does the Backup, so what is shown is what runs.
      const { id: _id, workspaceId: _w, createdAt: _c, ...previous } = before;
      await scope.repo.update(before.id, previous);
      throw error;
    }
  }

  private async startJob(
    scope: Scope,
    backup: BackupRecord,
    job: {
      kind: "BACKUP" | "RESTORE" | "VERIFY";
      jobSpec: ReturnType<typeof backupJobSpec>;
      annotations?: Record<string, string>;
      sourceRun?: BackupRunRecord;
      restoreTarget?: string;
    },
  ): Promise<BackupRunRecord> {
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

  /** Validates and normalizes everything a backup is made of, against the plan and the live cluster. */
  private async checkedFields(
    scope: Scope,
    input: {
      schedule: string;
      timeZone: string;
      source: { pvcName?: string | null };
      destination: { volumeId: string; path: string };
      fn: BackupFunctionInput;
      retention?: RetentionInput | RetentionPolicy | null;
    },
  ) {
    const schedule = checkSchedule(input.schedule, input.timeZone);
    if (!schedule.ok) throw invalidInput(schedule.field, schedule.message);
    const minInterval = scope.workspace.plan.minBackupIntervalMinutes;
    const shortest = shortestIntervalMinutes(schedule.expression, input.timeZone);
    if (shortest < minInterval) {
      throw invalidInput(
        "schedule",
        `This schedule runs every ${shortest} minutes at times; the ${scope.workspace.plan.name} plan allows a backup at most every ${minInterval} minutes.`,
      );
    }
    const functionParams = checkFunction(input.fn);
    const isDatabase = DATABASE_FUNCTIONS.has(input.fn.kind);
    let sourcePvcName: string | null = null;
    if (!isDatabase) {
      if (!input.source.pvcName) throw invalidInput("source.pvcName", "Choose the claim (PVC) to back up.");
      sourcePvcName = validatePvcName(input.source.pvcName, "source.pvcName");
      const pvc = await scope.client.read<V1PersistentVolumeClaim>({
        ...PERSISTENT_VOLUME_CLAIM,
        metadata: { name: sourcePvcName, namespace: scope.app.namespace },
      });
      if (!pvc) throw invalidInput("source.pvcName", `There is no claim named '${sourcePvcName}' in namespace '${scope.app.namespace}'.`);
    }
    const volume = await destinationVolume(this.deps.db, scope.workspace.id, input.destination.volumeId);
    const destinationPath = validateDestinationPath(input.destination.path);
    await destinationClaim(scope.client, volume, scope.app.namespace);
    if (sourcePvcName) await this.checkPlacement(scope, sourcePvcName, volume.node);
    return {
      schedule: input.schedule.trim().replace(/\s+/g, " "),
      timeZone: input.timeZone,
      sourcePvcName,
      destinationVolumeId: volume.id,
      destinationPath,
      functionKind: input.fn.kind,
      functionParams,
      retention: validateRetention(input.retention ?? {}),
    };
  }

  /** Both ReadWriteOnce volumes must attach on one node; local disks cannot move, so say so now rather than at 02:00. */
  private async checkPlacement(scope: Scope, sourcePvcName: string, destinationNode: string | null) {
    if (!destinationNode) return;
    const pvc = await scope.client.read<V1PersistentVolumeClaim>({
      ...PERSISTENT_VOLUME_CLAIM,
      metadata: { name: sourcePvcName, namespace: scope.app.namespace },
    });
    const pvName = pvc?.spec?.volumeName;
    if (!pvName) return;
    const pv = await scope.client.read<V1PersistentVolume>({
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: pvName },
    });
    const zones = pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms
      ?.flatMap((t) => t.matchExpressions ?? [])
      .filter((e) => e.key === "topology.kubernetes.io/zone" && e.operator === "In")
      .flatMap((e) => e.values ?? []);
    if (zones?.length && !zones.includes(destinationNode)) {
      throw invalidInput(
        "destination.volumeId",
        `The claim '${sourcePvcName}' lives on node ${zones.join("/")} and the volume on ${destinationNode}; local volumes cannot move between Proxmox nodes, so no pod can mount both. Choose a volume on ${zones.join("/")}.`,
      );
    }
  }
}

function checkFunction(fn: BackupFunctionInput): BackupFunctionParams {
  switch (fn.kind as BackupRecord["functionKind"]) {
    case "TAR":
      return { compression: fn.compression ?? "ZSTD" };
    case "RSYNC":
      return {};
    case "PG_DUMP":
    case "MYSQLDUMP": {
      if (!fn.database)
        throw invalidInput(
          "function.database",
          "A database function needs the database to dump: host, port, name, user and the Secret with the password.",
        );
      return { ...(fn.kind === "MYSQLDUMP" ? { compression: fn.compression ?? "ZSTD" } : {}), database: validateDatabase(fn.database) };
    }
    case "CUSTOM":
      return { image: validateImage(fn.image ?? ""), script: validateScript(fn.script ?? "") };
    default:
      throw invalidInput("function.kind", `Unknown backup function '${String(fn.kind)}'.`);
  }
}

function fromParams(kind: BackupRecord["functionKind"], params: BackupFunctionParams): BackupFunctionInput {
  return {
    kind,
    compression: params.compression,
    image: params.image,
    script: params.script,
    database: params.database,
  } as BackupFunctionInput;
}

function toPolicy(r: RetentionPolicy) {
  return {
    keepLast: r.keepLast ?? undefined,
    keepDaily: r.keepDaily ?? undefined,
    keepWeekly: r.keepWeekly ?? undefined,
    keepMonthly: r.keepMonthly ?? undefined,
  };
}

function restorableSnapshot(run: BackupRunRecord): string {
  if (run.kind !== "BACKUP" || (run.status !== "SUCCEEDED" && run.status !== "PARTIALLY_SUCCEEDED") || !run.snapshot) {
    throw invalidInput("runId", "Only a successful backup run has a snapshot to restore or verify.");
  }
  if (run.prunedAt) throw invalidInput("runId", `The snapshot ${run.snapshot} was removed by retention on ${run.prunedAt.toISOString()}.`);
  return run.snapshot;
}
