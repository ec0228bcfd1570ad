/** The off-node copy part of the Backup form: its draft, its checks, and what it adds to the create/update inputs. */

export interface CopyDraft {
  /** "" = no off-node copy. */
  volumeId: string;
  path: string;
}

export const COPY_FIELDS = ["copyDestination", "copyDestination.volumeId", "copyDestination.path"] as const;

export interface CopyVolume {
  id: string;
  name: string;
  sizeGiB: number;
  node?: string | null;
}

/** Why a volume cannot hold the copy, or null when it can. */
export function copyVolumeRefusal(volume: CopyVolume, primary: CopyVolume | undefined): string | null {
  if (!primary) return null;
  if (volume.id === primary.id) return "it is the destination";
  if (!volume.node || volume.node === primary.node) return `same node as the destination (${primary.node ?? "unknown"})`;
  return null;
}

export function validateCopyDraft(copy: CopyDraft, format: string): Record<string, string> {
  if (!copy.volumeId) return {};
  if (format !== "RESTIC") return { "copyDestination.volumeId": "An off-node copy needs the RESTIC format." };
  const path = copy.path.trim();
  if (!path) return { "copyDestination.path": "Give a folder inside the copy's volume, e.g. shop/db." };
  if (path.startsWith("/")) return { "copyDestination.path": "The folder is relative to the volume's root: write shop/db, not /shop/db." };
  return {};
}

/** For createBackup: the copy when one is chosen. */
export function copyCreateInput(copy: CopyDraft) {
  return copy.volumeId ? { copyDestination: { volumeId: copy.volumeId, path: copy.path.trim() } } : {};
}

/** For updateBackup: the copy when one is chosen; removal when the backup had one and it was cleared. */
export function copyUpdateInput(copy: CopyDraft, had: boolean) {
  if (copy.volumeId) return { copyDestination: { volumeId: copy.volumeId, path: copy.path.trim() } };
  return had ? { removeCopyDestination: true } : {};
}
