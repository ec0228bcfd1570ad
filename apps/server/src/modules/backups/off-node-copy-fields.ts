import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { storageVolumes } from "../../db/schema/index.js";
import { invalidInput } from "../../kernel/errors.js";
import type { StorageVolumeRecord } from "../volumes/volume.repository.js";
import type { BackupScope } from "./backup-lookup.js";
import type { BackupRecord, NewBackup } from "./backup.repository.js";
import { destinationClaim } from "./backup-spec.js";
import { validateDestinationPath } from "./validation.js";

const FIELD = "copyDestination.volumeId";

/**
 * The off-node copy's destination, checked: a volume of this workspace, AVAILABLE, on another Proxmox node than the
 * primary (a copy on the same node is lost with it), for a RESTIC backup (restic copy is what moves the snapshots).
 */
export async function checkedCopyDestination(
  db: Database,
  scope: BackupScope,
  input: { volumeId: string; path: string },
  primary: { volumeId: string; path: string; format: "RESTIC" | "PLAIN" },
): Promise<{ copyVolumeId: string; copyPath: string }> {
  if (primary.format !== "RESTIC")
    throw invalidInput(
      "copyDestination",
      "An off-node copy needs the RESTIC format (restic copies snapshots between repositories); PLAIN backups are files without a repository. Choose format RESTIC, or leave the copy out.",
    );
  const volume = await anyVolume(db, input.volumeId);
  if (!volume || volume.status === "DELETED") throw invalidInput(FIELD, "That Storage Volume does not exist.");
  if (volume.workspaceId !== scope.workspace.id)
    throw invalidInput(
      FIELD,
      "That Storage Volume belongs to another workspace; a backup's copy stays in its own workspace (its key and its admins). Choose a volume of this workspace.",
    );
  if (volume.status !== "AVAILABLE")
    throw invalidInput(
      FIELD,
      `'${volume.name}' is ${volume.status.toLowerCase()}, not available; choose an available volume on another node.`,
    );
  const main = (await anyVolume(db, primary.volumeId))!;
  if (volume.id === main.id || !volume.node || volume.node === main.node)
    throw invalidInput(
      FIELD,
      `'${volume.name}' is on Proxmox node ${volume.node ?? "(unknown)"}, like the destination '${main.name}': losing that node would lose both copies. Choose a volume on another node (create one with notOnNodeOfVolumeId: the destination's id).`,
    );
  let copyPath: string;
  try {
    copyPath = validateDestinationPath(input.path);
  } catch (error) {
    throw invalidInput("copyDestination.path", (error as Error).message);
  }
  await destinationClaim(scope.client, volume, scope.app.namespace).catch((error: Error) => {
    throw invalidInput(FIELD, error.message);
  });
  return { copyVolumeId: volume.id, copyPath };
}

/** Any workspace's volume, so that another workspace's is refused as such rather than as missing. */
async function anyVolume(db: Database, id: string): Promise<StorageVolumeRecord | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const [row] = await db.select().from(storageVolumes).where(eq(storageVolumes.id, id));
  return row;
}

/**
 * The copy columns a create or update writes: a new copy destination is checked; an unchanged one is checked again
 * when what it is checked against (the primary destination, the format) changed; `remove` drops it.
 */
export async function copyPatch(
  db: Database,
  scope: BackupScope,
  request: { copyDestination?: { volumeId: string; path: string } | null; remove?: boolean | null },
  primary: { volumeId: string; path: string; format: "RESTIC" | "PLAIN" },
  current?: Pick<BackupRecord, "copyVolumeId" | "copyPath" | "copySince" | "destinationVolumeId" | "format">,
): Promise<Pick<NewBackup, "copyVolumeId" | "copyPath" | "copySince">> {
  if (request.remove) return { copyVolumeId: null, copyPath: null, copySince: null };
  if (request.copyDestination) {
    const checked = await checkedCopyDestination(db, scope, request.copyDestination, primary);
    const same = current?.copyVolumeId === checked.copyVolumeId && current?.copyPath === checked.copyPath;
    return { ...checked, copySince: same ? current!.copySince : new Date() };
  }
  if (current?.copyVolumeId && current.copyPath) {
    if (current.destinationVolumeId !== primary.volumeId || current.format !== primary.format)
      await checkedCopyDestination(db, scope, { volumeId: current.copyVolumeId, path: current.copyPath }, primary);
    return { copyVolumeId: current.copyVolumeId, copyPath: current.copyPath, copySince: current.copySince };
  }
  return {};
}
