export interface SortEntry {
  id: string;
  desc: boolean;
}

/** "name,-sizeGiB" → [{id:"name",desc:false},{id:"sizeGiB",desc:true}]; unknown ids are dropped. */
export function parseSortParam(raw: string | null, allowedIds?: readonly string[]): SortEntry[] {
  if (!raw) return [];
  const out: SortEntry[] = [];
  for (const part of raw.split(",")) {
    const token = part.trim();
    if (!token) continue;
    const desc = token.startsWith("-");
    const id = desc ? token.slice(1) : token;
    if (!id || (allowedIds && !allowedIds.includes(id))) continue;
    if (out.some((e) => e.id === id)) continue;
    out.push({ id, desc });
  }
  return out;
}

export function serializeSortParam(sorting: readonly SortEntry[]): string {
  return sorting.map((s) => (s.desc ? `-${s.id}` : s.id)).join(",");
}

/**
 * Returns new search params with `key` set to `value`, or removed when value is empty.
 * Other params are kept.
 */
export function withParam(params: URLSearchParams, key: string, value: string): URLSearchParams {
  const next = new URLSearchParams(params);
  if (value) next.set(key, value);
  else next.delete(key);
  return next;
}
