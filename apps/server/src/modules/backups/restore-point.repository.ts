import { and, desc, eq, inArray, isNotNull, isNull, ne, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { applications, backupRuns, backups, catalogJobs, storageVolumes } from "../../db/schema/index.js";
import {
  BackupRepository,
  snapshotKept,
  type BackupRecord,
  type BackupRunRecord,
  type NewBackup,
  type NewBackupRun,
} from "./backup.repository.js";

export type CatalogJobRecord = typeof catalogJobs.$inferSelect;
export type NewCatalogJob = typeof catalogJobs.$inferInsert;

/** A restore point: a successful BACKUP run whose snapshot is still in its repository, with its Backup (live or deleted). */
export interface RestorePointRow {
  run: BackupRunRecord;
  backup: BackupRecord;
  applicationName: string | null;
}

/** Which restore points: of an application, or held by a volume; optionally one Backup's only. */
export interface RestorePointFilter {
  applicationId?: string;
  volumeId?: string;
  backupId?: string;
}

/** Page position: the time and id of the last restore point of the previous page. */
export interface RestorePointCursor {
  time: Date;
  id: string;
}

/** The order of restore points: newest first, by when the snapshot was written. */
// Milliseconds, like the Dates a page cursor carries.
const pointTime = sql<Date>`date_trunc('milliseconds', coalesce(${backupRuns.finishedAt}, ${backupRuns.createdAt}))`;

/**
 * Reads the catalog of restore points across Backups (deleted ones included) and writes what a rescan recovers.
 * Scoped to one workspace like BackupRepository; the index backup_runs_restore_points carries the listing.
 */
export class RestorePointRepository {
  constructor(
    private readonly db: Database,
    readonly workspaceId: string,
  ) {}

  private where(filter: RestorePointFilter): SQL {
    return and(
      eq(backupRuns.workspaceId, this.workspaceId),
      snapshotKept(),
      // A deleted volume took its repositories with it.
      ne(storageVolumes.status, "DELETED"),
      filter.applicationId ? eq(backups.applicationId, filter.applicationId) : undefined,
      filter.volumeId ? eq(backups.destinationVolumeId, filter.volumeId) : undefined,
      filter.backupId ? eq(backups.id, filter.backupId) : undefined,
    )!;
  }

  /** Strictly after the cursor in the listing's order (a raw SQL parameter must be text, so the time goes as ISO). */
  private before(after: RestorePointCursor): SQL {
    const time = sql`${after.time.toISOString()}::timestamptz`;
    return or(sql`${pointTime} < ${time}`, and(sql`${pointTime} = ${time}`, sql`${backupRuns.id} < ${after.id}::uuid`))!;
  }

  async page(filter: RestorePointFilter, first: number, after?: RestorePointCursor): Promise<RestorePointRow[]> {
    const rows = await this.db
      .select({ run: backupRuns, backup: backups, applicationName: applications.name })
      .from(backupRuns)
      .innerJoin(backups, eq(backups.id, backupRuns.backupId))
      .innerJoin(storageVolumes, eq(storageVolumes.id, backups.destinationVolumeId))
      .leftJoin(applications, eq(applications.id, backups.applicationId))
      .where(and(this.where(filter), after ? this.before(after) : undefined))
      .orderBy(desc(pointTime), desc(backupRuns.id))
      .limit(first);
    return rows;
  }

  async count(filter: RestorePointFilter): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<string>`count(*)` })
      .from(backupRuns)
      .innerJoin(backups, eq(backups.id, backupRuns.backupId))
      .innerJoin(storageVolumes, eq(storageVolumes.id, backups.destinationVolumeId))
      .where(this.where(filter));
    return Number(row?.n ?? 0);
  }

  /** Per Backup: how many restore points a volume holds and the newest one's time (what deleting the volume would lose). */
  async volumeHoldings(volumeId: string) {
    const rows = await this.db
      .select({
        backupId: backups.id,
        backupName: backups.name,
        deleted: sql<boolean>`${backups.deletedAt} is not null`,
        applicationName: applications.name,
        count: sql<string>`count(*)`,
        newest: sql<Date>`max(${pointTime})`,
      })
      .from(backupRuns)
      .innerJoin(backups, eq(backups.id, backupRuns.backupId))
      .innerJoin(storageVolumes, eq(storageVolumes.id, backups.destinationVolumeId))
      .leftJoin(applications, eq(applications.id, backups.applicationId))
      .where(this.where({ volumeId }))
      .groupBy(backups.id, backups.name, backups.deletedAt, applications.name)
      .orderBy(desc(sql`max(${pointTime})`));
    return rows.map((r) => ({ ...r, count: Number(r.count), newest: new Date(r.newest) }));
  }

  /** Every BACKUP run with a snapshot whose Backup writes (or wrote) to the volume, pruned ones too: what a rescan compares. */
  knownSnapshots(volumeId: string) {
    return this.db
      .select({ run: backupRuns, backup: backups })
      .from(backupRuns)
      .innerJoin(backups, eq(backups.id, backupRuns.backupId))
      .where(
        and(
          eq(backupRuns.workspaceId, this.workspaceId),
          eq(backupRuns.kind, "BACKUP"),
          isNotNull(backupRuns.snapshot),
          eq(backups.destinationVolumeId, volumeId),
        ),
      );
  }

  /** The newest restore started from each of these restore points (a run's sourceRunId), by restore point id. */
  async latestRestores(pointIds: string[]): Promise<Map<string, BackupRunRecord>> {
    if (!pointIds.length) return new Map();
    const rows = await this.db
      .selectDistinctOn([backupRuns.sourceRunId])
      .from(backupRuns)
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.kind, "RESTORE"), inArray(backupRuns.sourceRunId, pointIds)))
      .orderBy(backupRuns.sourceRunId, desc(backupRuns.createdAt));
    return new Map(rows.map((r) => [r.sourceRunId!, r]));
  }

  async backupsByIds(ids: string[]): Promise<BackupRecord[]> {
    if (!ids.length) return [];
    return this.db
      .select()
      .from(backups)
      .where(and(eq(backups.workspaceId, this.workspaceId), inArray(backups.id, ids)));
  }

  async runsByJobNames(names: string[]): Promise<BackupRunRecord[]> {
    if (!names.length) return [];
    return this.db
      .select()
      .from(backupRuns)
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), inArray(backupRuns.jobName, names)));
  }

  async insertBackup(backup: Omit<NewBackup, "workspaceId">): Promise<BackupRecord> {
    const [row] = await this.db
      .insert(backups)
      .values({ ...backup, workspaceId: this.workspaceId })
      .onConflictDoNothing()
      .returning();
    return row ?? (await this.backupsByIds([backup.id!]))[0]!;
  }

  insertRun(run: Omit<NewBackupRun, "workspaceId">): Promise<BackupRunRecord> {
    return new BackupRepository(this.db, this.workspaceId).insertRun(run);
  }

  async markPruned(runIds: string[], at: Date): Promise<void> {
    if (!runIds.length) return;
    await this.db
      .update(backupRuns)
      .set({ prunedAt: at, updatedAt: at })
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), inArray(backupRuns.id, runIds), isNull(backupRuns.prunedAt)));
  }

  /** Marks a Backup's snapshots pruned, by their ids (what its forget Job removed). */
  async markSnapshotsPruned(backupId: string, snapshots: string[], at: Date): Promise<void> {
    if (!snapshots.length) return;
    await this.db
      .update(backupRuns)
      .set({ prunedAt: at, updatedAt: at })
      .where(
        and(
          eq(backupRuns.workspaceId, this.workspaceId),
          eq(backupRuns.backupId, backupId),
          eq(backupRuns.kind, "BACKUP"),
          inArray(backupRuns.snapshot, snapshots),
          isNull(backupRuns.prunedAt),
        ),
      );
  }

  // ---- catalog jobs ----

  async insertJob(job: Omit<NewCatalogJob, "workspaceId">): Promise<CatalogJobRecord> {
    const [row] = await this.db
      .insert(catalogJobs)
      .values({ ...job, workspaceId: this.workspaceId })
      .returning();
    return row!;
  }

  async updateJob(id: string, patch: Partial<Omit<NewCatalogJob, "id" | "workspaceId">>): Promise<CatalogJobRecord> {
    const [row] = await this.db
      .update(catalogJobs)
      .set(patch)
      .where(and(eq(catalogJobs.workspaceId, this.workspaceId), eq(catalogJobs.id, id)))
      .returning();
    return row!;
  }

  /** Marks the job finished if nobody has; the row lock makes a concurrent second caller see it finished. */
  async claimJob(id: string): Promise<boolean> {
    const rows = await this.db
      .update(catalogJobs)
      .set({ finishedAt: new Date() })
      .where(and(eq(catalogJobs.workspaceId, this.workspaceId), eq(catalogJobs.id, id), isNull(catalogJobs.finishedAt)))
      .returning({ id: catalogJobs.id });
    return rows.length > 0;
  }

  async job(id: string): Promise<CatalogJobRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(catalogJobs)
      .where(and(eq(catalogJobs.workspaceId, this.workspaceId), eq(catalogJobs.id, id)));
    return row;
  }

  async latestJob(volumeId: string, kind: CatalogJobRecord["kind"]): Promise<CatalogJobRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(catalogJobs)
      .where(and(eq(catalogJobs.workspaceId, this.workspaceId), eq(catalogJobs.volumeId, volumeId), eq(catalogJobs.kind, kind)))
      .orderBy(desc(catalogJobs.createdAt))
      .limit(1);
    return row;
  }

  /** Catalog Jobs that have not reported yet (followed until they do). */
  openJobs(): Promise<CatalogJobRecord[]> {
    return this.db
      .select()
      .from(catalogJobs)
      .where(and(eq(catalogJobs.workspaceId, this.workspaceId), inArray(catalogJobs.status, ["SCHEDULED", "RUNNING"])));
  }
}
