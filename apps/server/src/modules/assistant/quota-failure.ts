import { and, desc, eq, ne, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { storageVolumes, volumeUsage, type RemedyRecord } from "../../db/schema/index.js";
import { backupWriters } from "../monitoring/backup-writers.repository.js";
import { formatBytes } from "./figures.js";
import { retentionThatFrees } from "./notice-words.js";

/**
 * The remedies for a run that failed on a full destination, checked against what is there: a retention that would
 * free the missing bytes from the snapshots the Backup keeps, and another volume of the workspace that has room.
 */
export async function quotaRemedies(
  db: Database,
  input: { workspaceId: string; backupId: string; volumeId: string; keepLastNow?: number; neededBytes?: number; missingBytes?: number },
): Promise<{ keepLast?: { keep: number; now?: number; freesBytes: number }; roomIn?: { id: string; name: string; freeBytes: number } }> {
  const remedies: Awaited<ReturnType<typeof quotaRemedies>> = {};
  if (input.missingBytes) {
    const backup = (await backupWriters(db, [input.volumeId], new Date())).get(input.volumeId)?.find((b) => b.id === input.backupId);
    const kept = [...(backup?.kept ?? [])].sort((a, b) => b.at.getTime() - a.at.getTime()).map((k) => k.bytes);
    const fix = retentionThatFrees(kept, input.missingBytes);
    if (fix) remedies.keepLast = { ...fix, now: input.keepLastNow };
  }
  if (input.neededBytes) {
    // Free space as the Storage table shows it (the monitoring's last sample), with the run's need to spare.
    const free = sql<number>`(${volumeUsage.capacityBytes} - ${volumeUsage.usedBytes})`.mapWith(Number);
    const [roomy] = await db
      .select({ id: storageVolumes.id, name: storageVolumes.name, freeBytes: free })
      .from(volumeUsage)
      .innerJoin(storageVolumes, eq(storageVolumes.id, volumeUsage.volumeId))
      .where(
        and(
          eq(storageVolumes.workspaceId, input.workspaceId),
          eq(storageVolumes.status, "AVAILABLE"),
          ne(storageVolumes.id, input.volumeId),
          sql`${volumeUsage.capacityBytes} - ${volumeUsage.usedBytes} >= ${input.neededBytes}`,
        ),
      )
      .orderBy(desc(free))
      .limit(1);
    if (roomy) remedies.roomIn = roomy;
  }
  return remedies;
}

/** The remedies the words offer, as the clicks a proposal carries: each applies to the Backup through the API. */
export function remedyRecords(backup: { id: string; name: string }, remedies: Awaited<ReturnType<typeof quotaRemedies>>): RemedyRecord[] {
  const records: RemedyRecord[] = [];
  if (remedies.keepLast)
    records.push({
      kind: "LOWER_RETENTION",
      label: `Keep the last ${remedies.keepLast.keep} (frees ${formatBytes(remedies.keepLast.freesBytes)})`,
      backupId: backup.id,
      backupName: backup.name,
      keepLast: remedies.keepLast.keep,
      fromKeepLast: remedies.keepLast.now,
      freesBytes: remedies.keepLast.freesBytes,
    });
  if (remedies.roomIn)
    records.push({
      kind: "MOVE_BACKUP",
      label: `Move it to '${remedies.roomIn.name}' (${formatBytes(remedies.roomIn.freeBytes)} free)`,
      backupId: backup.id,
      backupName: backup.name,
      toVolumeId: remedies.roomIn.id,
      toVolumeName: remedies.roomIn.name,
      freeBytes: remedies.roomIn.freeBytes,
    });
  return records;
}
