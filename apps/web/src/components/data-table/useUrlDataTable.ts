import { useTable } from "@tanstack/react-table";
import type { TableOptions } from "@tanstack/react-table";
import { dataTableFeatures } from "./features";
import type { DataTableFeatures } from "./features";
import { useUrlTableState } from "./useUrlTableState";
import type { UrlTableStateOptions } from "./useUrlTableState";

export interface UrlDataTableOptions<TRow extends { id: string }> extends UrlTableStateOptions {
  columns: TableOptions<DataTableFeatures, TRow>["columns"];
  data: readonly TRow[];
  /** Column ids the text filter searches. */
  filterableIds: ReadonlySet<string>;
}

/**
 * A data table (rows keyed by `id`) whose sorting and text filter live in the URL search params
 * (see `useUrlTableState`). Returns the table and the filter, for `DataTableToolbar` and the
 * "no matches" text.
 */
export function useUrlDataTable<TRow extends { id: string }>({
  prefix,
  sortableIds,
  filterableIds,
  columns,
  data,
}: UrlDataTableOptions<TRow>) {
  const urlState = useUrlTableState({ prefix, sortableIds });

  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId: (row) => row.id,
    state: { sorting: urlState.sorting, globalFilter: urlState.globalFilter },
    onSortingChange: urlState.onSortingChange,
    onGlobalFilterChange: urlState.onGlobalFilterChange,
    globalFilterFn: "includesString",
    getColumnCanGlobalFilter: (column) => filterableIds.has(column.id),
  });

  return {
    table,
    globalFilter: urlState.globalFilter,
    onGlobalFilterChange: urlState.onGlobalFilterChange,
  };
}
