export const DESTINATION_PATH_MAX_LENGTH = 200;

/** The folder as the server stores it: trimmed, without trailing slashes. */
export function normalizeDestinationPath(raw: string): string {
  return raw.trim().replace(/\/+$/, "");
}

/**
 * Mirrors the server's check of a destination folder inside a volume: relative, plain segments
 * only (no leading '/', no '.' or '..', no empty segments). Returns a message, or null when valid.
 */
export function validateDestinationPath(raw: string): string | null {
  const path = normalizeDestinationPath(raw);
  if (!path) return "Give a folder inside the volume, e.g. shop/db.";
  if (path.startsWith("/")) return "The folder is relative to the volume's root: write shop/db, not /shop/db.";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return "The folder name contains control characters.";
  if (path.length > DESTINATION_PATH_MAX_LENGTH) {
    return `The folder path has at most ${DESTINATION_PATH_MAX_LENGTH} characters.`;
  }
  for (const segment of path.split("/")) {
    if (segment === "") return "The folder path has an empty segment ('//').";
    if (segment === "." || segment === "..") {
      return "The folder path cannot contain '.' or '..' segments: it must stay inside the volume.";
    }
    if (!/^[A-Za-z0-9._-]+$/.test(segment)) {
      return `'${segment}' is not a plain folder name: use letters, digits, '.', '_' and '-'.`;
    }
  }
  return null;
}

/** "backup-vol-1:/shop/db"; the volume id when its name is unknown. */
export function formatDestination(volumeName: string | null | undefined, volumeId: string, path: string): string {
  return `${volumeName ?? volumeId}:/${path.replace(/^\/+/, "")}`;
}
