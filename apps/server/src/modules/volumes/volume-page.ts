import { invalidInput } from "../../kernel/errors.js";

/** The orders the Storage table offers; every one ends on the volume's id, so equal keys keep one order. */
export const VOLUME_SORT_KEYS = ["NAME", "SIZE", "USAGE", "STATUS", "CREATED", "NODE", "ESTIMATED_FULL"] as const;
export type VolumeSortKey = (typeof VOLUME_SORT_KEYS)[number];
export type SortDirection = "ASC" | "DESC";

export interface VolumeSort {
  key: VolumeSortKey;
  direction: SortDirection;
}

export interface VolumeFilter {
  /** Part of the name, StorageClass, PV, node, storage or status, in any case. */
  search?: string | null;
  statuses?: readonly string[] | null;
  node?: string | null;
  includeDeleted?: boolean | null;
}

/** Where a page starts: the sort it belongs to, and the last row before it (its sort value as PostgreSQL prints it, and id). */
export interface VolumeCursor {
  key: VolumeSortKey;
  direction: SortDirection;
  value: string;
  id: string;
}

/** A screenful and the rows around it; a cost-limited page, not the whole list. */
export const MAX_VOLUME_PAGE = 500;
export const MAX_SEARCH = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: VolumeCursor): string {
  return Buffer.from(JSON.stringify([cursor.key, cursor.direction, cursor.value, cursor.id])).toString("base64url");
}

/**
 * A cursor only means something in the order it was cut from: one from another sort would start the page at an
 * arbitrary place, so it is refused rather than answered with rows that skip or repeat.
 */
export function decodeCursor(raw: string, sort: VolumeSort): VolumeCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    !VOLUME_SORT_KEYS.includes(parsed[0] as VolumeSortKey) ||
    (parsed[1] !== "ASC" && parsed[1] !== "DESC") ||
    typeof parsed[2] !== "string" ||
    typeof parsed[3] !== "string" ||
    !UUID.test(parsed[3])
  ) {
    throw invalidInput("after", "The cursor 'after' is not one this list handed out; start again from the first page.");
  }
  const [key, direction, value, id] = parsed as [VolumeSortKey, SortDirection, string, string];
  if (key !== sort.key || direction !== sort.direction) {
    throw invalidInput(
      "after",
      `The cursor 'after' belongs to the list sorted by ${key} ${direction}, not ${sort.key} ${sort.direction}; start again from the first page of this sort.`,
    );
  }
  return { key, direction, value, id };
}

export function validateVolumePage(first: number): number {
  if (!Number.isInteger(first) || first < 1 || first > MAX_VOLUME_PAGE) {
    throw invalidInput("first", `'first' must be a whole number from 1 to ${MAX_VOLUME_PAGE}; ask for the next page with 'after'.`);
  }
  return first;
}

export function validateVolumeFilter(filter: VolumeFilter | null | undefined): VolumeFilter {
  const search = filter?.search?.trim() ?? "";
  if (search.length > MAX_SEARCH) throw invalidInput("filter.search", `A search has at most ${MAX_SEARCH} characters.`);
  const node = filter?.node?.trim() ?? "";
  return {
    search: search || undefined,
    statuses: filter?.statuses?.length ? [...new Set(filter.statuses)] : undefined,
    node: node || undefined,
    includeDeleted: filter?.includeDeleted ?? false,
  };
}
