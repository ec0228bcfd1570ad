import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { SortingState, Updater } from "@tanstack/react-table";
import { parseSortParam, serializeSortParam, withParam } from "./url-state";

export interface UrlTableStateOptions {
  /** Prefix for the search params, so two tables on one page keep separate state (e.g. "v" → "vsort", "vq"). */
  prefix?: string;
  /** Column ids that may be sorted; anything else in the URL is ignored. */
  sortableIds: readonly string[];
}

/**
 * Table sort/filter state that lives in the URL search params, so a view can be shared,
 * bookmarked and survives reloads. Filter typing replaces the history entry.
 */
export function useUrlTableState({ prefix = "", sortableIds }: UrlTableStateOptions) {
  const [params, setParams] = useSearchParams();
  const sortKey = `${prefix}sort`;
  const filterKey = `${prefix}q`;
  const sortRaw = params.get(sortKey);
  const idsKey = sortableIds.join(",");

  const sorting = useMemo<SortingState>(() => parseSortParam(sortRaw, idsKey.split(",")), [sortRaw, idsKey]);
  const globalFilter = params.get(filterKey) ?? "";

  const onSortingChange = useCallback(
    (updater: Updater<SortingState>) => {
      setParams(
        (prev) => {
          const current = parseSortParam(prev.get(sortKey), idsKey.split(","));
          const next = typeof updater === "function" ? updater(current) : updater;
          return withParam(prev, sortKey, serializeSortParam(next));
        },
        { replace: false },
      );
    },
    [setParams, sortKey, idsKey],
  );

  const onGlobalFilterChange = useCallback(
    (updater: Updater<string>) => {
      setParams(
        (prev) => {
          const current = prev.get(filterKey) ?? "";
          const next = typeof updater === "function" ? updater(current) : updater;
          return withParam(prev, filterKey, String(next ?? ""));
        },
        { replace: true },
      );
    },
    [setParams, filterKey],
  );

  return { sorting, onSortingChange, globalFilter, onGlobalFilterChange };
}
