import type { RemedyRecord } from "../../db/schema/index.js";
import type { Viewer } from "../../kernel/viewer.js";
import type { BackupService } from "../backups/backup.service.js";
import { formatBytes } from "./figures.js";

/**
 * The fixes of a failed run other than an expansion, applied as the admin who chose them, through the same
 * Backup update the dashboard's form uses (its checks, its reconcile, its refusal of members).
 */

/** "keep the last 2", "lower retention", "move it": which remedy a free-text answer picks, if any. */
export function readRemedy(text: string): RemedyRecord["kind"] | undefined {
  const t = text.trim().toLowerCase();
  if (/^(move|relocate)\b/.test(t)) return "MOVE_BACKUP";
  if (/^(lower|reduce|keep (the )?(last|fewer))\b/.test(t)) return "LOWER_RETENTION";
  return undefined;
}

/** Applies the remedy; returns what the assistant says once it is done. */
export async function applyRemedy(backups: BackupService, viewer: Viewer, remedy: RemedyRecord): Promise<string> {
  const current = await backups.backup(viewer, remedy.backupId);
  if (remedy.kind === "LOWER_RETENTION") {
    await backups.update(viewer, { id: current.id, retention: { keepLast: remedy.keepLast } });
    return `Done: the backup '${remedy.backupName}' now keeps the last ${remedy.keepLast} snapshots${remedy.fromKeepLast ? ` (it kept ${remedy.fromKeepLast})` : ""}; its next prune frees ${formatBytes(remedy.freesBytes)}.`;
  }
  await backups.update(viewer, { id: current.id, destination: { volumeId: remedy.toVolumeId, path: current.destinationPath } });
  return `Done: the backup '${remedy.backupName}' now writes into '${remedy.toVolumeName}' (${formatBytes(remedy.freeBytes)} free), in its folder '${current.destinationPath}'. Its snapshots so far stay where they were.`;
}
