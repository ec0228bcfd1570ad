import { and, desc, eq, gte, inArray, isNotNull, isNull, lte } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { backupRuns, backups } from "../../db/schema/index.js";
import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";

type CopyState = Pick<BackupRunRecord, "copyStatus" | "copyMessage" | "copyJobName" | "copyStartedAt" | "copiedAt">;

/** The off-node copy's columns of backups and their runs, for one workspace; writes nothing else. */
export class CopyRunRepository {
  constructor(
    private readonly db: Database,
    readonly workspaceId: string,
  ) {}

  backupsWithCopy(): Promise<BackupRecord[]> {
    return this.db
      .select()
      .from(backups)
      .where(and(eq(backups.workspaceId, this.workspaceId), isNull(backups.deletedAt), isNotNull(backups.copyVolumeId)));
  }

  /** Copies in progress, with their Backup (deleted ones too: a copy outlives no Backup). */
  copying(): Promise<Array<{ run: BackupRunRecord; backup: BackupRecord }>> {
    return this.db
      .select({ run: backupRuns, backup: backups })
      .from(backupRuns)
      .innerJoin(backups, eq(backups.id, backupRuns.backupId))
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.copyStatus, "COPYING")));
  }

  /** Successful runs since the copy destination was set that no copy has seen yet become PENDING. */
  markPending(backup: BackupRecord): Promise<BackupRunRecord[]> {
    return this.db
      .update(backupRuns)
      .set({ copyStatus: "PENDING", updatedAt: new Date() })
      .where(
        and(
          eq(backupRuns.workspaceId, this.workspaceId),
          eq(backupRuns.backupId, backup.id),
          eq(backupRuns.kind, "BACKUP"),
          inArray(backupRuns.status, ["SUCCEEDED", "PARTIALLY_SUCCEEDED"]),
          isNotNull(backupRuns.snapshot),
          isNull(backupRuns.prunedAt),
          isNull(backupRuns.copyStatus),
          gte(backupRuns.finishedAt, backup.copySince ?? new Date(0)),
        ),
      )
      .returning();
  }

  /** The newest run in one of these copy states. */
  async newest(backupId: string, status: "PENDING" | "COPYING"): Promise<BackupRunRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(backupRuns)
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.backupId, backupId), eq(backupRuns.copyStatus, status)))
      .orderBy(desc(backupRuns.finishedAt))
      .limit(1);
    return row;
  }

  async set(runId: string, patch: Partial<CopyState>): Promise<BackupRunRecord> {
    const [row] = await this.db
      .update(backupRuns)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(backupRuns.workspaceId, this.workspaceId), eq(backupRuns.id, runId)))
      .returning();
    return row!;
  }

  /** restic copy copies every snapshot the copy lacks: runs that finished before it started are in the copy now. */
  coveredBy(backupId: string, startedAt: Date, patch: Partial<CopyState>): Promise<BackupRunRecord[]> {
    return this.db
      .update(backupRuns)
      .set({ ...patch, updatedAt: new Date() })
      .where(
        and(
          eq(backupRuns.workspaceId, this.workspaceId),
          eq(backupRuns.backupId, backupId),
          inArray(backupRuns.copyStatus, ["PENDING", "COPYING", "FAILED"]),
          isNull(backupRuns.prunedAt),
          lte(backupRuns.finishedAt, startedAt),
        ),
      )
      .returning();
  }
}
