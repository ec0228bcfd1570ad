/**
 * The Storage table's window onto the server's list: which sort the table's columns ask the server for, which
 * pages the rows in view fall on, and the full-length row list with placeholders where a page is not loaded yet.
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

/** Rows per request: a few screens. Large enough that a drag to anywhere needs one or two requests. */
export const WINDOW_PAGE = 100;

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

export interface Placeholder {
  id: string;
  placeholder: true;
}

export const isPlaceholder = (row: unknown): row is Placeholder => (row as Placeholder | null)?.placeholder === true;

const placeholders: Placeholder[] = [];
/** The same object for a position every time: a row that stays unloaded is not re-rendered. */
function placeholderAt(index: number): Placeholder {
  return (placeholders[index] ??= { id: `placeholder-${index}`, placeholder: true });
}

/**
 * `total` rows in order: each loaded page's rows in their place, placeholders elsewhere. A page that came back
 * shorter or longer than its slot (the list changed between requests) fills what it can and never writes past
 * the next page's start, so rows never appear twice.
 */
export function windowRows<T>(total: number, pages: ReadonlyMap<number, readonly T[]>, pageSize = WINDOW_PAGE): Array<T | Placeholder> {
  const rows: Array<T | Placeholder> = new Array<T | Placeholder>(total);
  for (let i = 0; i < total; i++) rows[i] = placeholderAt(i);
  for (const [page, list] of pages) {
    const start = page * pageSize;
    const n = Math.min(list.length, pageSize, total - start);
    for (let i = 0; i < n; i++) rows[start + i] = list[i]!;
  }
  // A volume can move between pages fetched at different moments (a live change re-sorted it): the first place wins.
  const seen = new Set<string>();
  for (let i = 0; i < total; i++) {
    const id = (rows[i] as { id: string }).id;
    if (seen.has(id)) rows[i] = placeholderAt(i);
    else seen.add(id);
  }
  return rows;
}

/** The pages furthest from the ones in view, beyond the `keep` nearest: dropped to bound what the page holds. */
export function pagesToDrop(loaded: Iterable<number>, inView: readonly number[], keep: number): number[] {
  if (!inView.length) return [];
  const centre = (inView[0]! + inView[inView.length - 1]!) / 2;
  const byDistance = [...loaded].sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre));
  return byDistance.slice(keep).filter((p) => !inView.includes(p));
}

/** The variables of one page's StorageVolumeWindow query: the page's own request and a warm-up share them exactly. */
export function windowVariables(workspaceId: string, sort: ServerSort, search: string, page: number, after: string | null) {
  return {
    workspaceId,
    first: WINDOW_PAGE,
    after,
    sort: { key: sort.key, direction: sort.direction },
    filter: search ? { search } : null,
    withCursors: page === 0,
  };
}
