import type { ReactNode } from "react";
import type { ReactTable, RowData } from "@tanstack/react-table";
import type { DataTableFeatures } from "./features";

export interface DataTableProps<TRow extends RowData> {
  table: ReactTable<DataTableFeatures, TRow>;
  /** Accessible name of the table. */
  label: string;
  /** Shown in place of rows when there are none. */
  empty: ReactNode;
  /** Shown when rows exist but none match the filter. */
  noMatches?: ReactNode;
  rowTestId?: string;
  /** Makes rows selectable by click (controls inside the row keep their own clicks). */
  onRowClick?: (row: TRow) => void;
  /** Marks the selected row (aria-current and a highlight). */
  isRowSelected?: (row: TRow) => boolean;
}

function fromControl(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("button, a, input, select, textarea, label") !== null;
}

function sortAria(dir: false | "asc" | "desc"): "ascending" | "descending" | "none" {
  return dir === "asc" ? "ascending" : dir === "desc" ? "descending" : "none";
}

/** Renders a TanStack table with sortable header buttons. Markup only; state lives in the owner. */
export function DataTable<TRow extends RowData>({
  table,
  label,
  empty,
  noMatches,
  rowTestId,
  onRowClick,
  isRowSelected,
}: DataTableProps<TRow>) {
  const rows = table.getRowModel().rows;
  const total = table.getCoreRowModel().rows.length;
  const colCount = table.getAllLeafColumns().length;

  return (
    <div className="data-table-wrap">
      <table className="data-table" aria-label={label}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const canSort = header.column.getCanSort();
                const dir = header.column.getIsSorted();
                return (
                  <th key={header.id} scope="col" aria-sort={canSort ? sortAria(dir) : undefined}>
                    {header.isPlaceholder ? null : canSort ? (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        <table.FlexRender header={header} />
                        <span className="sort-indicator" aria-hidden="true">
                          {dir === "asc" ? "▲" : dir === "desc" ? "▼" : "↕"}
                        </span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={colCount} className="data-table-empty">
                {total === 0 ? empty : (noMatches ?? "No rows match the filter.")}
              </td>
            </tr>
          ) : (
            rows.map((row) => {
              const selected = isRowSelected?.(row.original) ?? false;
              return (
              <tr
                key={row.id}
                data-testid={rowTestId}
                data-row-id={row.id}
                aria-current={selected ? "true" : undefined}
                className={[onRowClick ? "clickable-row" : "", selected ? "selected-row" : ""].join(" ").trim() || undefined}
                onClick={
                  onRowClick
                    ? (e) => {
                        if (!fromControl(e.target)) onRowClick(row.original);
                      }
                    : undefined
                }
              >
                {row.getAllCells().map((cell) => (
                  <td key={cell.id}>
                    <table.FlexRender cell={cell} />
                  </td>
                ))}
              </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}
