import type { Database } from "../../db/client.js";
import { RestorePointRepository } from "../backups/restore-point.repository.js";
import type { StorageVolumeRecord } from "./volume.repository.js";

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/**
 * What deleting a volume would take with it, as the sentence that asks for confirmation; undefined when it holds no
 * restore point.
 */
export async function restorePointsNotice(db: Database, volume: StorageVolumeRecord): Promise<string | undefined> {
  const holdings = await new RestorePointRepository(db, volume.workspaceId).volumeHoldings(volume.id);
  if (!holdings.length) return undefined;
  const total = holdings.reduce((n, h) => n + h.count, 0);
  const newest = holdings.reduce((d, h) => (h.newest > d ? h.newest : d), holdings[0]!.newest);
  const shown = holdings.slice(0, 5).map((h) => {
    const of = [h.applicationName, h.deleted ? "deleted" : null].filter(Boolean).join(", ");
    return `'${h.backupName}'${of ? ` (${of})` : ""}: ${h.count}`;
  });
  const more = holdings.length > 5 ? ` and ${holdings.length - 5} more Backup(s)` : "";
  return `'${volume.name}' holds ${total} restore point${total === 1 ? "" : "s"} (${shown.join("; ")}${more}), the newest from ${when(newest)}. Deleting the volume deletes them for good. To go ahead, delete it again confirming the restore points (confirmRestorePoints: true); to keep them, keep the volume.`;
}
