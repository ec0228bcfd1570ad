import { and, asc, eq, gte, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { applications, backupRuns, backups, storageVolumes } from "../../db/schema/index.js";
import type { ProjectedBackup } from "./projection.js";

/** Runs older than this only matter while their snapshot is still kept: the size model reads the last few runs. */
const HISTORY_MS = 30 * 24 * 3600 * 1000;

/**
 * The Backups writing into these volumes, each with its successful runs' sizes and the snapshots it still keeps
 * there: what a projection of the volumes needs, for all of a cycle's volumes in one query.
 */
export type BackupWriter = ProjectedBackup & { name: string; application: string; format: "PLAIN" | "RESTIC" };

export function backupWriters(db: Database, volumeIds: string[], now: Date): Promise<Map<string, BackupWriter[]>> {
  if (!volumeIds.length) return Promise.resolve(new Map<string, BackupWriter[]>());
  // The ids travel as one JSON parameter: a statement may have no more than 65,535 parameters.
  return writersWhere(
    db,
    sql`${backups.destinationVolumeId} in (select value::uuid from json_array_elements_text(${JSON.stringify(volumeIds)}::json))`,
    now,
  );
}

/**
 * The Backups writing into any live volume (of these workspaces): a monitoring cycle's, without sending the ids of
 * every volume it samples (10,000 of them make a 370 KB parameter for a handful of Backups).
 */
export function liveBackupWriters(db: Database, workspaceIds: string[] | undefined, now: Date): Promise<Map<string, BackupWriter[]>> {
  if (workspaceIds && !workspaceIds.length) return Promise.resolve(new Map<string, BackupWriter[]>());
  const live = sql`${backups.destinationVolumeId} in (select id from ${storageVolumes} where status in ('AVAILABLE', 'EXPANDING'))`;
  const ofShare = workspaceIds
    ? sql` and ${backups.workspaceId} in (select value::uuid from json_array_elements_text(${JSON.stringify(workspaceIds)}::json))`
    : sql``;
  return writersWhere(db, sql`${live}${ofShare}`, now);
}

async function writersWhere(db: Database, where: SQL, now: Date): Promise<Map<string, BackupWriter[]>> {
  const byVolume = new Map<string, BackupWriter[]>();
  const at = sql<Date>`coalesce(${backupRuns.scheduledAt}, ${backupRuns.startedAt}, ${backupRuns.createdAt})`.mapWith(
    (v: string | Date | null) => (v === null ? null : new Date(v)),
  );
  const rows = await db
    .select({
      backupId: backups.id,
      volumeId: backups.destinationVolumeId,
      name: backups.name,
      application: applications.name,
      schedule: backups.schedule,
      timeZone: backups.timeZone,
      suspended: backups.suspended,
      format: backups.format,
      retention: backups.retention,
      runAt: at,
      bytes: backupRuns.bytesWritten,
      prunedAt: backupRuns.prunedAt,
    })
    .from(backups)
    .innerJoin(applications, eq(applications.id, backups.applicationId))
    .leftJoin(
      backupRuns,
      and(
        eq(backupRuns.backupId, backups.id),
        eq(backupRuns.kind, "BACKUP"),
        eq(backupRuns.status, "SUCCEEDED"),
        isNotNull(backupRuns.bytesWritten),
        or(isNull(backupRuns.prunedAt), gte(backupRuns.finishedAt, new Date(now.getTime() - HISTORY_MS))),
      ),
    )
    .where(and(where, isNull(backups.deletedAt)))
    .orderBy(asc(backups.id), asc(at));
  const seen = new Map<string, BackupWriter>();
  for (const row of rows) {
    let backup = seen.get(row.backupId);
    if (!backup) {
      const created: BackupWriter = {
        id: row.backupId,
        name: row.name,
        application: row.application,
        format: row.format,
        label: `the backup '${row.name}' of ${row.application}`,
        schedule: row.schedule,
        timeZone: row.timeZone,
        suspended: row.suspended,
        // Stored policies may carry nulls for the rules not set; the planner reads those as absent.
        retention: Object.fromEntries(Object.entries(row.retention).filter(([, v]) => v !== null && v !== undefined)),
        kept: [],
        history: [],
      };
      backup = created;
      seen.set(row.backupId, created);
      const list = byVolume.get(row.volumeId) ?? [];
      list.push(created);
      byVolume.set(row.volumeId, list);
    }
    if (row.bytes === null || row.bytes === undefined || row.runAt === null) continue;
    const run = { at: row.runAt, bytes: row.bytes };
    backup.history.push(run);
    if (!row.prunedAt) backup.kept.push(run);
  }
  return byVolume;
}
