import { useId } from "react";
import type { ReactTable, RowData } from "@tanstack/react-table";
import type { DataTableFeatures } from "./features";

/** A column's header as plain text, for labels on cards and in the sort menu. */
export function headerText(header: unknown, fallback: string): string {
  return typeof header === "string" ? header : fallback;
}

/**
 * On cards there are no column headers to click: the sort order is a menu and a direction button.
 * It drives the same sorting state as the headers (so the URL keeps it).
 */
export function DataTableCardSort<TRow extends RowData>({ table, label }: { table: ReactTable<DataTableFeatures, TRow>; label: string }) {
  const id = useId();
  const sortable = table.getAllLeafColumns().filter((c) => c.getCanSort());
  if (sortable.length === 0) return null;
  const current = table.state.sorting?.[0];
  const desc = current?.desc ?? false;
  return (
    <div className="data-table-card-sort">
      <label htmlFor={id}>Sort {label.toLowerCase()} by</label>
      <select id={id} value={current?.id ?? ""} onChange={(e) => table.setSorting(e.target.value ? [{ id: e.target.value, desc }] : [])}>
        <option value="">Default order</option>
        {sortable.map((c) => (
          <option key={c.id} value={c.id}>
            {headerText(c.columnDef.header, c.id)}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="btn btn-small"
        disabled={!current}
        aria-pressed={desc}
        onClick={() => current && table.setSorting([{ id: current.id, desc: !desc }])}
      >
        <span aria-hidden="true">{desc ? "▼" : "▲"}</span> Descending
      </button>
    </div>
  );
}
