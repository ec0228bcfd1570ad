import type { Database } from "../../db/client.js";
import type { StorageVolumeRecord } from "./volume.repository.js";
import { VolumePageRepository } from "./volume-page.repository.js";
import {
  decodeCursor,
  encodeCursor,
  MAX_SEARCH,
  validateVolumeFilter,
  validateVolumePage,
  type VolumeFilter,
  type VolumeSort,
} from "./volume-page.js";
import { invalidInput } from "../../kernel/errors.js";

export interface VolumePageArgs {
  first: number;
  after?: string | null;
  sort?: VolumeSort | null;
  filter?: VolumeFilter | null;
}

export interface VolumePage {
  edges: Array<{ cursor: string; node: StorageVolumeRecord }>;
  nodes: StorageVolumeRecord[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** Counted only when asked for: a page alone does not pay for a pass over every matching row. */
  totalCount(): Promise<number>;
  pageCursors(): Promise<string[]>;
}

const OLDEST_FIRST: VolumeSort = { key: "CREATED", direction: "ASC" };

/** A page of one workspace's volumes in the order and under the filter asked for (input checked before any query). */
export async function pageVolumes(db: Database, workspaceId: string, args: VolumePageArgs): Promise<VolumePage> {
  const first = validateVolumePage(args.first);
  const sort = args.sort ?? OLDEST_FIRST;
  const filter = validateVolumeFilter(args.filter);
  const after = args.after ? decodeCursor(args.after, sort) : undefined;
  const repo = new VolumePageRepository(db, workspaceId);
  // One row more than asked says whether another page follows, without counting.
  const rows = await repo.page(sort, filter, first + 1, after);
  const shown = rows.slice(0, first);
  const edges = shown.map((row) => ({
    cursor: encodeCursor({ ...sort, value: row.sortValue, id: row.volume.id }),
    node: row.volume,
  }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: () => repo.count(filter),
    pageCursors: async () =>
      (await repo.pageBoundaries(sort, filter, first)).map((b) => encodeCursor({ ...sort, value: b.value, id: b.id })),
  };
}

/** At most this many StorageClass names in one answer: a picker narrows them down with `search`. */
export const MAX_STORAGE_CLASS_NAMES = 200;

/** The StorageClass names of the workspace's volumes for a picker (the quota dialog): searched and cut by the server. */
export function storageClassNames(db: Database, workspaceId: string, args: { search?: string | null; first: number }): Promise<string[]> {
  if (!Number.isInteger(args.first) || args.first < 1 || args.first > MAX_STORAGE_CLASS_NAMES)
    throw invalidInput("first", `Ask for 1 to ${MAX_STORAGE_CLASS_NAMES} StorageClass names at a time.`);
  const search = args.search?.trim() ?? "";
  if (search.length > MAX_SEARCH) throw invalidInput("search", `A search has at most ${MAX_SEARCH} characters.`);
  return new VolumePageRepository(db, workspaceId).storageClassNames(search || undefined, args.first);
}
