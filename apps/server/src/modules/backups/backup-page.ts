import { invalidInput } from "../../kernel/errors.js";

/** At most this many backups a page. */
export const MAX_BACKUP_PAGE = 200;

/**
 * An application's live backups are listed by name, which is unique among them (index backups_live_name): the
 * name of a page's last backup is the keyset that starts the next page. Opaque to clients.
 */
export function encodeBackupCursor(name: string): string {
  return Buffer.from(JSON.stringify({ name }), "utf8").toString("base64url");
}

export function decodeBackupCursor(cursor: string): string {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { name?: unknown };
    if (typeof value.name === "string") return value.name;
  } catch {
    /* said below */
  }
  throw invalidInput("after", "This cursor is not one of this list's: start again from the first page.");
}

export function validateBackupPageSize(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_BACKUP_PAGE) {
    throw invalidInput("first", `Ask for 1 to ${MAX_BACKUP_PAGE} backups a page.`);
  }
  return first;
}
