import type { Database } from "../../db/client.js";
import type { StorageVolumeRecord } from "./volume.repository.js";
import { VolumePageRepository } from "./volume-page.repository.js";
import { decodeCursor, encodeCursor, validateVolumeFilter, validateVolumePage, type VolumeFilter, type VolumeSort } from "./volume-page.js";

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
