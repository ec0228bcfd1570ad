/**
 * The Storage table's window onto the server's list: which sort the table's columns ask the server for, which
 * pages the rows in view fall on, and the loaded rows with their positions in the list (nothing per position).
 * Pure, so the hook that fetches (useVolumeWindow) keeps only the fetching.
 */

export type ServerSortKey = "NAME" | "SIZE" | "USAGE" | "STATUS" | "CREATED" | "NODE" | "ESTIMATED_FULL";
export interface ServerSort {
  key: ServerSortKey;
  direction: "ASC" | "DESC";
}

/**
 * The table's sortable columns and the server's order for each. StorageClass and PV names are `hks-<name>` and
 * `hks-<workspace>-<name>`, so they sort as the name does.
 */
export const COLUMN_SORT: Readonly<Record<string, ServerSortKey>> = {
  name: "NAME",
  sizeGiB: "SIZE",
  status: "STATUS",
  usage: "USAGE",
  estimatedFullAt: "ESTIMATED_FULL",
  storageClassName: "NAME",
  persistentVolumeName: "NAME",
  location: "NODE",
};

/** The columns the server can sort by; the URL keeps the table's sort and filter under this prefix ("vsort", "vq"). */
export const VOLUME_SORTABLE = Object.keys(COLUMN_SORT);
export const VOLUME_TABLE_PREFIX = "v";

/**
 * Rows per request: two or three screens, so a drag to anywhere needs one or two requests; no larger, since every
 * row of a page is written to and read from the cache before the first of them shows.
 */
export const WINDOW_PAGE = 50;

/** Oldest first when the table names no column (the order volumes were created in, as before). */
export function serverSort(sorting: readonly { id: string; desc: boolean }[]): ServerSort {
  const first = sorting.find((s) => COLUMN_SORT[s.id]);
  if (!first) return { key: "CREATED", direction: "ASC" };
  return { key: COLUMN_SORT[first.id]!, direction: first.desc ? "DESC" : "ASC" };
}

/** The pages holding rows `from`..`to` (inclusive), plus one page either side so a scroll finds rows already there. */
export function pagesFor(from: number, to: number, total: number, pageSize = WINDOW_PAGE, margin = 1): number[] {
  if (total <= 0 || to < from) return [];
  const last = Math.floor((total - 1) / pageSize);
  const start = Math.max(0, Math.floor(Math.max(0, from) / pageSize) - margin);
  const end = Math.min(last, Math.floor(Math.min(to, total - 1) / pageSize) + margin);
  const pages: number[] = [];
  for (let p = start; p <= end; p++) pages.push(p);
  return pages;
}

/**
 * The loaded rows of some pages, in list order, and the position of each in the whole list: what the table renders
 * by index (a position without a row is drawn as a loading row), without building a row for every position.
 * A page that came back shorter or longer than its slot (the list changed between requests) fills what it can and
 * never writes past the next page's start; a volume that moved between pages fetched at different moments (a live
 * change re-sorted it) keeps its first place, so no row appears twice.
 */
export function windowSlice<T extends { id: string }>(
  total: number,
  pages: ReadonlyMap<number, readonly T[]>,
  only?: readonly number[],
  pageSize = WINDOW_PAGE,
): { rows: T[]; positions: number[] } {
  const rows: T[] = [];
  const positions: number[] = [];
  const seen = new Set<string>();
  const numbers = [...pages.keys()].filter((p) => !only || only.includes(p)).sort((a, b) => a - b);
  for (const page of numbers) {
    const list = pages.get(page)!;
    const start = page * pageSize;
    const n = Math.min(list.length, pageSize, total - start);
    for (let i = 0; i < n; i++) {
      const row = list[i]!;
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      rows.push(row);
      positions.push(start + i);
    }
  }
  return { rows, positions };
}

/** The `after` that starts `page`: the cursor the server listed for it, else the end of the page before, if loaded. */
export function cursorFor(
  page: number,
  cursors: readonly string[],
  endCursors: ReadonlyMap<number, string | null>,
): string | null | undefined {
  if (page === 0) return null;
  return cursors[page - 1] ?? endCursors.get(page - 1) ?? undefined;
}

/** The pages furthest from the ones in view, beyond the `keep` nearest: dropped to bound what the page holds. */
export function pagesToDrop(loaded: Iterable<number>, inView: readonly number[], keep: number): number[] {
  if (!inView.length) return [];
  const centre = (inView[0]! + inView[inView.length - 1]!) / 2;
  const byDistance = [...loaded].sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre));
  return byDistance.slice(keep).filter((p) => !inView.includes(p));
}

/** The variables of one page's StorageVolumeWindow query: the page's own request and a warm-up share them exactly. */
export function windowVariables(workspaceId: string, sort: ServerSort, search: string, after: string | null) {
  return {
    workspaceId,
    first: WINDOW_PAGE,
    after,
    sort: { key: sort.key, direction: sort.direction },
    filter: search ? { search } : null,
  };
}
