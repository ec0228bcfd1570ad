import { randomUUID } from "node:crypto";
import { planPrune } from "@hks/backup-functions";
import type { Database } from "../../db/client.js";
import type { RetentionPolicy } from "../../db/schema/backups.js";
import type { Viewer } from "../../kernel/viewer.js";
import { conflict, invalidInput } from "../../kernel/errors.js";
import type { AppPubSub as PubSub } from "../topics.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import { ApplicationRepository, type ApplicationRecord } from "../applications/application.repository.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import type { CreateBackupInput, RestoreBackupRunInput, UpdateBackupInput } from "./backup.inputs.js";
import type { BackupReconciler } from "./backup-reconciler.js";
import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";
import { checkedBackupFields, fromParams } from "./backup-fields.js";
import { BackupJobs } from "./backup-jobs.js";
import { destinationVolume } from "./backup-spec.js";
import { CatalogJobs } from "./catalog-jobs.js";
import { copyPatch } from "./off-node-copy-fields.js";
import { BackupLookup, type BackupScope } from "./backup-lookup.js";
import { checkSchedule, describeSchedule, nextRuns } from "./schedule.js";
import { cronJobNameFor, type TranslationOptions } from "./translation.js";
import { validateBackupName } from "./validation.js";
import { decodeBackupCursor, encodeBackupCursor, validateBackupPageSize } from "./backup-page.js";
import { checkedRepositoryCheck } from "./repository-checks.js";
import { repositoryFigures } from "./repository-figures.js";

export interface BackupServiceDeps {
  db: Database;
  workspaces: WorkspaceService;
  vclusters: VClusters;
  reconciler: BackupReconciler;
  pubsub: PubSub;
  translation: TranslationOptions;
  /** The lab's scale (real bytes per GiB shown), when on the lab. */
  labBytesPerGiB?: number;
  /** Forgets deleted Backups' snapshots and cleans up the claims HKS made; one is made when not given. */
  catalog?: CatalogJobs;
}

/** The rules of Backups (spec 3.2, 4.3): what a valid backup is, who may change it, and how runs are started. */
export class BackupService {
  private readonly lookup: BackupLookup;
  private readonly jobs: BackupJobs;
  private readonly catalog: CatalogJobs;

  constructor(private readonly deps: BackupServiceDeps) {
    this.lookup = new BackupLookup(deps);
    this.jobs = new BackupJobs(deps, this.lookup);
    this.catalog = deps.catalog ?? new CatalogJobs(deps);
  }

  // ---- reading ----

  application(viewer: Viewer, id: string): Promise<ApplicationRecord> {
    return this.lookup.application(viewer, id);
  }

  applications(workspace: WorkspaceWithPlan): Promise<ApplicationRecord[]> {
    return new ApplicationRepository(this.deps.db, workspace.id).list();
  }

  backups(app: ApplicationRecord): Promise<BackupRecord[]> {
    return this.repo(app.workspaceId).listForApplication(app.id);
  }

  /** A page of the application's backups by name, with how many there are (the page's one extra row says if more follow). */
  async backupPage(app: ApplicationRecord, first: number, after?: string | null) {
    const size = validateBackupPageSize(first);
    const afterName = after ? decodeBackupCursor(after) : undefined;
    const repo = this.repo(app.workspaceId);
    const [rows, totalCount] = await Promise.all([repo.pageForApplication(app.id, size + 1, afterName), repo.countForApplication(app.id)]);
    const nodes = rows.slice(0, size);
    const last = nodes.at(-1);
    return {
      nodes,
      totalCount,
      pageInfo: { hasNextPage: rows.length > size, endCursor: last ? encodeBackupCursor(last.name) : null },
    };
  }

  backup(viewer: Viewer, id: string): Promise<BackupRecord> {
    return this.lookup.backup(viewer, id);
  }

  run(viewer: Viewer, id: string): Promise<BackupRunRecord> {
    return this.lookup.run(viewer, id);
  }

  runs(backup: BackupRecord, first: number, before?: Date) {
    return this.repo(backup.workspaceId).runs(backup.id, { first: Math.min(Math.max(first, 1), 200), before });
  }

  /** A backup run's verifications, newest first: how the run's verified state came about. */
  verifications(run: BackupRunRecord): Promise<BackupRunRecord[]> {
    return run.kind === "BACKUP" ? this.repo(run.workspaceId).verifications(run.id) : Promise.resolve([]);
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
    const fields = await checkedBackupFields(this.deps.db, scope, {
      schedule: input.schedule,
      timeZone: input.timeZone,
      source: input.source,
      destination: input.destination,
      fn: input.function,
      retention: input.retention,
    });
    const format = input.format ?? "RESTIC";
    const copy = await copyPatch(
      this.deps.db,
      scope,
      { copyDestination: input.copyDestination },
      { volumeId: fields.destinationVolumeId, path: fields.destinationPath, format },
    );
    const id = randomUUID();
    const check = checkedRepositoryCheck(input.check, { format, timeZone: fields.timeZone }, scope.workspace);
    const backup = await scope.repo.insert({
      id,
      applicationId: scope.app.id,
      name,
      ...fields,
      ...copy,
      concurrencyPolicy: input.concurrencyPolicy,
      suspended: input.suspended,
      verifyAfterRun: input.verifyAfterRun,
      format,
      ...check,
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
    const fields = await checkedBackupFields(this.deps.db, scope, {
      schedule: input.schedule ?? current.schedule,
      timeZone: input.timeZone ?? current.timeZone,
      source: input.source ?? { pvcName: current.sourcePvcName },
      destination: input.destination ?? { volumeId: current.destinationVolumeId, path: current.destinationPath },
      fn: input.function ?? fromParams(current.functionKind, current.functionParams),
      retention: input.retention ?? current.retention,
    });
    const format = input.format ?? current.format;
    const check =
      input.check !== undefined && input.check !== null
        ? checkedRepositoryCheck(input.check, { format, timeZone: fields.timeZone }, scope.workspace)
        : checkedRepositoryCheck(
            { schedule: current.checkSchedule, readDataSubset: current.checkReadDataSubset },
            { format, timeZone: fields.timeZone },
            scope.workspace,
          );
    const copy = await copyPatch(
      this.deps.db,
      scope,
      { copyDestination: input.copyDestination, remove: input.removeCopyDestination },
      { volumeId: fields.destinationVolumeId, path: fields.destinationPath, format },
      current,
    );
    const updated = await scope.repo.update(current.id, {
      ...fields,
      ...check,
      ...copy,
      concurrencyPolicy: input.concurrencyPolicy ?? current.concurrencyPolicy,
      verifyAfterRun: input.verifyAfterRun ?? current.verifyAfterRun,
      format,
    });
    await this.reconcileOrRevert(scope, current, updated);
    if (updated.destinationVolumeId !== current.destinationVolumeId) await this.releaseClaims(scope, current.destinationVolumeId);
    return (await scope.repo.get(current.id))!;
  }

  async setSuspended(viewer: Viewer, id: string, suspended: boolean): Promise<BackupRecord> {
    const current = await this.backup(viewer, id);
    const scope = await this.adminScope(viewer, await this.application(viewer, current.applicationId));
    const updated = await scope.repo.update(current.id, { suspended });
    await this.reconcileOrRevert(scope, current, updated);
    return (await scope.repo.get(current.id))!;
  }

  /**
   * Deletes the Backup. Its restore points are kept (listed and restorable) unless `keepRestorePoints` is false: then
   * a Job forgets and prunes its snapshots, and its runs are marked pruned once that Job succeeds.
   */
  async delete(viewer: Viewer, id: string, keepRestorePoints = true): Promise<BackupRecord> {
    const current = await this.backup(viewer, id);
    const scope = await this.adminScope(viewer, await this.application(viewer, current.applicationId));
    // Checked before anything changes: what would stop the forget must stop the delete too.
    const volume = keepRestorePoints ? undefined : await this.forgettable(scope, current);
    // The CronJob goes first: a Backup marked deleted while its CronJob still fires would run unseen.
    await this.deps.reconciler.remove(current, scope.app.namespace);
    const deleted = await scope.repo.update(current.id, { deletedAt: new Date() });
    if (volume) {
      try {
        await this.catalog.startForget(scope.workspace, deleted, scope.app, volume, viewer.userId);
      } catch (error) {
        throw conflict(
          `'${current.name}' was deleted, but the Job removing its snapshots could not start (${(error as Error).message}); its restore points are kept and listed. Start the removal again from the restore points list, or keep them.`,
        );
      }
    } else {
      await this.releaseClaims(scope, current.destinationVolumeId);
    }
    return deleted;
  }

  private async forgettable(scope: BackupScope, backup: BackupRecord) {
    if (backup.format !== "RESTIC")
      throw invalidInput(
        "keepRestorePoints",
        `'${backup.name}' writes plain files, not a restic repository, so HKS cannot forget its snapshots; delete it keeping them, then remove the folder '${backup.destinationPath}' yourself.`,
      );
    if ((await scope.repo.activeRuns(backup.id)).length)
      throw conflict(`A run of '${backup.name}' is in progress; wait for it to finish before deleting the Backup with its restore points.`);
    return destinationVolume(this.deps.db, scope.workspace.id, backup.destinationVolumeId);
  }

  /** The claims HKS made for a volume go when no live Backup of theirs uses it; a failure to clean up is not the caller's. */
  private async releaseClaims(scope: BackupScope, volumeId: string): Promise<void> {
    try {
      const volume = await destinationVolume(this.deps.db, scope.workspace.id, volumeId);
      await this.catalog.releaseClaims(scope.client, scope.workspace.id, volume);
    } catch {
      // The volume is gone or unavailable: there is no claim of it to keep tidy, or the next delete or rescan retries.
    }
  }

  runNow(viewer: Viewer, id: string): Promise<BackupRunRecord> {
    return this.jobs.runNow(viewer, id);
  }

  restore(viewer: Viewer, input: RestoreBackupRunInput): Promise<BackupRunRecord> {
    return this.jobs.restore(viewer, input);
  }

  verify(viewer: Viewer, runId: string): Promise<BackupRunRecord> {
    return this.jobs.verify(viewer, runId);
  }

  /** Restores the safety snapshot a failed overwrite restore took, into the same claim. */
  putBack(viewer: Viewer, runId: string): Promise<BackupRunRecord> {
    return this.jobs.putBack(viewer, runId);
  }

  /** The repository's stored size against its kept snapshots' logical size (the deduplication ratio). */
  async repositoryFigures(backup: BackupRecord) {
    return repositoryFigures(backup, await this.repo(backup.workspaceId).liveSnapshots(backup.id));
  }

  /** The run's log: kept once the run ends; read from its pod while it runs. */
  logs(viewer: Viewer, run: BackupRunRecord): Promise<string | null> {
    return this.jobs.logs(viewer, run);
  }

  /** Live changes of an application's runs, for members of its workspace. */
  async subscribe(viewer: Viewer, applicationId: string) {
    await this.application(viewer, applicationId);
    return this.deps.pubsub.subscribe("BACKUP_RUN_CHANGED", applicationId);
  }

  // ---- internals ----

  private repo(workspaceId: string) {
    return this.lookup.repo(workspaceId);
  }

  private adminScope(viewer: Viewer, app: ApplicationRecord): Promise<BackupScope> {
    return this.lookup.adminScope(viewer, app);
  }

  private async reconcileOrRevert(scope: BackupScope, before: BackupRecord, after: BackupRecord) {
    try {
      await this.deps.reconciler.reconcile(after);
    } catch (error) {
      // The cluster kept the old CronJob; so does the Backup, so what is shown is what runs.
      const { id: _id, workspaceId: _w, createdAt: _c, ...previous } = before;
      await scope.repo.update(before.id, previous);
      throw error;
    }
  }
}

function toPolicy(r: RetentionPolicy) {
  return {
    keepLast: r.keepLast ?? undefined,
    keepDaily: r.keepDaily ?? undefined,
    keepWeekly: r.keepWeekly ?? undefined,
    keepMonthly: r.keepMonthly ?? undefined,
  };
}
