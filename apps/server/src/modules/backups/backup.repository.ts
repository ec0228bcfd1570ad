import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, ne, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { backupEvents, backupRuns, backups } from "../../db/schema/index.js";

export type BackupRecord = typeof backups.$inferSelect;
export type NewBackup = typeof backups.$inferInsert;
export type BackupRunRecord = typeof backupRuns.$inferSelect;
export type NewBackupRun = typeof backupRuns.$inferInsert;
export type BackupEventRecord = typeof backupEvents.$inferSelect;

const TERMINAL = ["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED", "MISSED"] as const;

/** A BACKUP run whose snapshot is still in its repository: what retention chooses from and what can be restored. */
export function snapshotKept(): SQL {
  return and(
    eq(backupRuns.kind, "BACKUP"),
    isNotNull(backupRuns.snapshot),
    isNull(backupRuns.prunedAt),
    inArray(backupRuns.status, ["SUCCEEDED", "PARTIALLY_SUCCEEDED"]),
  )!;
}

/** Backups, their runs and events, for one workspace. The only writer of these tables. */
export class BackupRepository {
  constructor(
    private readonly db: Database,
    readonly workspaceId: string,
  ) {}

  listForApplication(applicationId: string): Promise<BackupRecord[]> {
    return this.db
      .select()
      .from(backups)
      .where(and(eq(backups.workspaceId, this.workspaceId), eq(backups.applicationId, applicationId), isNull(backups.deletedAt)))
      .orderBy(asc(backups.name));
  }

  /** `limit` of the application's live backups by name, after the one named `afterName` (a keyset page). */
  pageForApplication(applicationId: string, limit: number, afterName?: string): Promise<BackupRecord[]> {
    return this.db
      .select()
      .from(backups)
      .where(
        and(
          eq(backups.workspaceId, this.workspaceId),
          eq(backups.applicationId, applicationId),
          isNull(backups.deletedAt),
          afterName === undefined ? undefined : sql`${backups.name} > ${afterName}`,
        ),
      )
      .orderBy(asc(backups.name))
      .limit(limit);
  }

  async countForApplication(applicationId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(backups)
      .where(and(eq(backups.workspaceId, this.workspaceId), eq(backups.applicationId, applicationId), isNull(backups.deletedAt)));
    return Number(row?.n ?? 0);
  }

  listLive(): Promise<BackupRecord[]> {
    return this.db
      .select()
      .from(backups)
      .where(and(eq(backups.workspaceId, this.workspaceId), isNull(backups.deletedAt)));
  }

  async get(id: string, options: { includeDeleted?: boolean } = {}): Promise<BackupRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(backups)
      .where(
        and(eq(backups.workspaceId, this.workspaceId), eq(backups.id, id), options.includeDeleted ? undefined : isNull(backups.deletedAt)),
      );
    return row;
  }

  async liveByName(applicationId: string, name: string): Promise<BackupRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(backups)
      .where(
        and(
          eq(backups.workspaceId, this.workspaceId),
          eq(backups.applicationId, applicationId),
          eq(backups.name, name),
          isNull(backups.deletedAt),
        ),
      );
    return row;
  }

  /** Live backups writing to a volume, as destination or off-node copy (a volume with backups on it must not be deleted from under them). */
  async usingVolume(volumeId: string): Promise<BackupRecord[]> {
    return this.db
      .select()
      .from(backups)
      .where(
        and(
          eq(backups.workspaceId, this.workspaceId),
          or(eq(backups.destinationVolumeId, volumeId), eq(backups.copyVolumeId, volumeId)),
          isNull(backups.deletedAt),
        ),
      );
  }

  async insert(backup: Omit<NewBackup, "workspaceId">): Promise<BackupRecord> {
    const [row] = await this.db
      .insert(backups)
      .values({ ...backup, workspaceId: this.workspaceId })
      .returning();
    return row!;
  }

  async update(id: string, patch: Partial<Omit<NewBackup, "id" | "workspaceId">>): Promise<BackupRecord> {
    const [row] = await this.db
      .update(backups)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(backups.workspaceId, this.workspaceId), eq(backups.id, id)))
      .returning();
    if (!row) throw new Error(`backup ${id} vanished`);
    return row;
  }

  /** Hard delete, for a backup whose creation could not be completed on the cluster. */
  async remove(id: string): Promise<void> {
    await this.db.delete(backups).where(and(eq(backups.workspaceId, this.workspaceId), eq(backups.id, id)));
  }

  // ---- runs ----

  async runs(backupId: string, options: { first: number; before?: Date }): Promise<BackupRunRecord[]> {
    return this.db
      .select()
      .from(backupRuns)
      .where(
        and(
          eq(backupRuns.workspaceId, this.workspaceId),
          eq(backupRuns.backupId, backupId),
          // A verification belongs to the run it checked (its verifications), not to the list of runs;
          // a scheduled repository check checks no one run and is listed.
          or(ne(backupRuns.kind, "VERIFY"), isNull(backupRuns.sourceRunId)),
          options.before ? lt(backupRuns.createdAt, options.before) : undefined,
        ),
      )
      .orderBy(desc(backupRuns.createdAt), desc(backupRuns.id))
      .limit(options.first);
  }

  async countRuns(backupId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<string>`count(*)` })
      .from(backupRuns)
      .where(
        and(
          eq(backupRuns.workspaceId, this.workspaceId),
          eq(backupRuns.backupId, backupId),
          or(ne(backupRuns.kind, "VERIFY"), isNull(backupRuns.sourceRunId)),
        ),
      );
    return Number(row?.n ?? 0);
  }

  /** The verifications of a backup run, newest first. */
  verifications(runId: string): Promise<BackupRunRecord[]> {
    return this.db
      .select()
      .from(backupRuns)
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.sourceRunId, runId), eq(backupRuns.kind, "VERIFY")))
      .orderBy(desc(backupRuns.createdAt));
  }

  async lastRun(backupId: string): Promise<BackupRunRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(backupRuns)
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.backupId, backupId), eq(backupRuns.kind, "BACKUP")))
      .orderBy(desc(sql`coalesce(${backupRuns.scheduledAt}, ${backupRuns.createdAt})`))
      .limit(1);
    return row;
  }

  async run(id: string): Promise<BackupRunRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(backupRuns)
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.id, id)));
    return row;
  }

  async runByJob(jobName: string): Promise<BackupRunRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(backupRuns)
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.jobName, jobName)));
    return row;
  }

  /** Runs not yet finished: the tracker follows their Jobs. */
  openRuns(): Promise<BackupRunRecord[]> {
    return this.db
      .select()
      .from(backupRuns)
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), notInArray(backupRuns.status, [...TERMINAL])));
  }

  async activeRuns(backupId: string): Promise<BackupRunRecord[]> {
    return this.db
      .select()
      .from(backupRuns)
      .where(
        and(
          eq(backupRuns.workspaceId, this.workspaceId),
          eq(backupRuns.backupId, backupId),
          inArray(backupRuns.status, ["SCHEDULED", "RUNNING"]),
        ),
      );
  }

  async insertRun(run: Omit<NewBackupRun, "workspaceId">): Promise<BackupRunRecord> {
    const [row] = await this.db
      .insert(backupRuns)
      .values({ ...run, workspaceId: this.workspaceId })
      .returning();
    return row!;
  }

  /** A missed run is recorded once per scheduled time, however often the check runs. */
  async insertMissed(run: Omit<NewBackupRun, "workspaceId" | "status">): Promise<BackupRunRecord | undefined> {
    const [row] = await this.db
      .insert(backupRuns)
      .values({ ...run, status: "MISSED", workspaceId: this.workspaceId })
      .onConflictDoNothing()
      .returning();
    return row;
  }

  async updateRun(id: string, patch: Partial<Omit<NewBackupRun, "id" | "workspaceId">>): Promise<BackupRunRecord> {
    const [row] = await this.db
      .update(backupRuns)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.id, id)))
      .returning();
    return row!;
  }

  /** Backup runs whose snapshot is still on the volume: what retention chooses from and what can be restored. */
  liveSnapshots(backupId: string): Promise<BackupRunRecord[]> {
    return this.db
      .select()
      .from(backupRuns)
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.backupId, backupId), snapshotKept()))
      .orderBy(desc(backupRuns.finishedAt));
  }

  async markPruned(backupId: string, snapshots: string[], at: Date): Promise<void> {
    if (!snapshots.length) return;
    await this.db
      .update(backupRuns)
      .set({ prunedAt: at, updatedAt: at })
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.backupId, backupId), inArray(backupRuns.snapshot, snapshots)));
  }

  // ---- events ----

  async recordEvent(event: {
    backupId: string;
    runId: string;
    kind: BackupEventRecord["kind"];
    payload: Record<string, unknown>;
  }): Promise<void> {
    await this.db
      .insert(backupEvents)
      .values({ ...event, workspaceId: this.workspaceId })
      .onConflictDoNothing();
  }

  events(): Promise<BackupEventRecord[]> {
    return this.db.select().from(backupEvents).where(eq(backupEvents.workspaceId, this.workspaceId)).orderBy(asc(backupEvents.createdAt));
  }
}
