import type { Database } from "../../db/client.js";
import { invalidInput, notFound } from "../../kernel/errors.js";
import type { Viewer } from "../../kernel/viewer.js";
import type { ApplicationRecord } from "../applications/application.repository.js";
import { VolumeRepository, type StorageVolumeRecord } from "../volumes/volume.repository.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import type { BackupRecord } from "./backup.repository.js";
import { usableDestination } from "./backup-spec.js";
import type { CatalogJobs } from "./catalog-jobs.js";
import { recoveredByRescan } from "./catalog-rebuild.js";
import {
  RestorePointRepository,
  type CatalogJobRecord,
  type RestorePointCursor,
  type RestorePointFilter,
  type RestorePointRow,
} from "./restore-point.repository.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RestorePointPageArgs {
  first?: number | null;
  after?: string | null;
  backupId?: string | null;
}

/** A restore point as the API shows it. */
export interface RestorePointView {
  id: string;
  time: Date;
  backupId: string;
  backupName: string;
  backupDeleted: boolean;
  applicationId: string;
  applicationName: string | null;
  volumeId: string;
  volume: StorageVolumeRecord | null;
  folder: string;
  snapshot: string;
  totalBytes: number | null;
  files: number | null;
  recovered: boolean;
  backupRecovered: boolean;
  run: RestorePointRow["run"];
  /** The newest restore started from this point (also of a deleted Backup, which has no runs list to show it). */
  lastRestore: RestorePointRow["run"] | null;
}

export interface RestorePointPageResult {
  nodes: RestorePointView[];
  totalCount: number;
  endCursor: string | null;
  hasNextPage: boolean;
}

/**
 * Restore points (successful backup runs whose snapshot is still in its repository), listed per application and per
 * volume whether their Backup is live or deleted; and the rescan that rebuilds them from the repositories.
 */
export class RestorePointService {
  constructor(private readonly deps: { db: Database; workspaces: WorkspaceService; catalog: CatalogJobs }) {}

  forApplication(app: ApplicationRecord, args: RestorePointPageArgs): Promise<RestorePointPageResult> {
    return this.page(app.workspaceId, { applicationId: app.id }, args);
  }

  forVolume(volume: StorageVolumeRecord, args: RestorePointPageArgs): Promise<RestorePointPageResult> {
    return this.page(volume.workspaceId, { volumeId: volume.id }, args);
  }

  countForBackup(backup: BackupRecord): Promise<number> {
    return this.repo(backup.workspaceId).count({ backupId: backup.id });
  }

  /** What deleting the volume would take with it: restore points per Backup, newest first. */
  holdings(volume: StorageVolumeRecord) {
    return this.repo(volume.workspaceId).volumeHoldings(volume.id);
  }

  /** Starts a rescan of the volume's repositories (Workspace Admins only); its progress is the returned catalog job. */
  async rescan(viewer: Viewer, volumeId: string): Promise<CatalogJobRecord> {
    const volume = await this.volume(viewer, volumeId);
    const { workspace } = await this.deps.workspaces.requireAdmin(viewer, volume.workspaceId);
    usableDestination(volume);
    return this.deps.catalog.startRescan(workspace, volume, viewer.userId);
  }

  async catalogJob(viewer: Viewer, id: string): Promise<CatalogJobRecord> {
    for (const workspaceId of viewer.roles.keys()) {
      const job = UUID.test(id) ? await this.repo(workspaceId).job(id) : undefined;
      if (job) return this.deps.catalog.settle(workspaceId, job.id);
    }
    throw notFound(`Catalog job '${id}'`);
  }

  /** The volume's latest rescan, brought up to date. */
  async lastRescan(volume: StorageVolumeRecord): Promise<CatalogJobRecord | null> {
    const job = await this.repo(volume.workspaceId).latestJob(volume.id, "RESCAN");
    return job ? this.deps.catalog.settle(volume.workspaceId, job.id) : null;
  }

  /** A deleted Backup's latest forget Job, brought up to date. */
  async lastForget(backup: BackupRecord): Promise<CatalogJobRecord | null> {
    const job = await this.repo(backup.workspaceId).latestJob(backup.destinationVolumeId, "FORGET");
    return job && job.backupId === backup.id ? this.deps.catalog.settle(backup.workspaceId, job.id) : null;
  }

  private async volume(viewer: Viewer, id: string): Promise<StorageVolumeRecord> {
    for (const workspaceId of viewer.roles.keys()) {
      const volume = UUID.test(id) ? await new VolumeRepository(this.deps.db, workspaceId).get(id) : undefined;
      if (volume && volume.status !== "DELETED") return volume;
    }
    throw notFound(`Storage volume '${id}'`);
  }

  private async page(workspaceId: string, filter: RestorePointFilter, args: RestorePointPageArgs): Promise<RestorePointPageResult> {
    const first = args.first ?? 20;
    if (!Number.isInteger(first) || first < 1 || first > 100)
      throw invalidInput("first", "Ask for between 1 and 100 restore points per page.");
    if (args.backupId && !UUID.test(args.backupId)) throw invalidInput("backupId", "backupId is not a Backup id.");
    const after = args.after ? decodeCursor(args.after) : undefined;
    const scoped = { ...filter, backupId: args.backupId ?? undefined };
    const repo = this.repo(workspaceId);
    const [rows, totalCount] = await Promise.all([repo.page(scoped, first + 1, after), repo.count(scoped)]);
    const page = rows.slice(0, first);
    const last = page.at(-1);
    return {
      nodes: await this.present(workspaceId, page),
      totalCount,
      hasNextPage: rows.length > first,
      endCursor: last ? encodeCursor({ time: last.run.finishedAt ?? last.run.createdAt, id: last.run.id }) : null,
    };
  }

  private async present(workspaceId: string, rows: RestorePointRow[]): Promise<RestorePointView[]> {
    const volumes = new VolumeRepository(this.deps.db, workspaceId);
    const byId = new Map<string, StorageVolumeRecord | undefined>();
    for (const id of new Set(rows.map((r) => r.backup.destinationVolumeId))) byId.set(id, await volumes.get(id));
    const restores = await this.repo(workspaceId).latestRestores(rows.map((r) => r.run.id));
    return rows.map(({ run, backup, applicationName }) => {
      const result = (run.result ?? {}) as { sourceBytes?: unknown; recovered?: unknown };
      return {
        id: run.id,
        time: run.finishedAt ?? run.createdAt,
        backupId: backup.id,
        backupName: backup.name,
        backupDeleted: backup.deletedAt !== null,
        applicationId: backup.applicationId,
        applicationName,
        volumeId: backup.destinationVolumeId,
        volume: byId.get(backup.destinationVolumeId) ?? null,
        folder: backup.destinationPath,
        snapshot: run.snapshot!,
        totalBytes: typeof result.sourceBytes === "number" && result.sourceBytes > 0 ? result.sourceBytes : null,
        files: run.files,
        recovered: result.recovered === true,
        backupRecovered: recoveredByRescan(backup),
        run,
        lastRestore: restores.get(run.id) ?? null,
      };
    });
  }

  private repo(workspaceId: string) {
    return new RestorePointRepository(this.deps.db, workspaceId);
  }
}

function encodeCursor(c: RestorePointCursor): string {
  return Buffer.from(`${c.time.toISOString()}|${c.id}`).toString("base64url");
}

function decodeCursor(value: string): RestorePointCursor {
  const [time, id] = Buffer.from(value, "base64url").toString("utf8").split("|");
  const date = time ? new Date(time) : undefined;
  if (!date || Number.isNaN(date.getTime()) || !id || !UUID.test(id))
    throw invalidInput("after", "The cursor 'after' is not one this list gave out; start again from the first page.");
  return { time: date, id };
}
