import type { ReactNode } from "react";
import { TableFilterInput } from "./TableFilterInput";

export interface DataTableToolbarProps {
  /** Accessible label of the filter input, e.g. "Filter volumes". */
  filterLabel: string;
  filterPlaceholder?: string;
  filter: string;
  onFilterChange: (value: string) => void;
  /** Number of rows, shown as "1 volume" / "3 volumes". */
  count: number;
  /** The counted noun, singular and plural, e.g. `{ one: "volume", other: "volumes" }`. */
  noun: { one: string; other: string };
  /**
   * Right-aligned actions (e.g. a "New …" button), after a spacer. The spacer and the slot are
   * rendered whenever the prop is passed, even as `null`; leave it out for a toolbar without actions.
   */
  actions?: ReactNode;
}

const COUNT_FORMAT = new Intl.NumberFormat("en-US");

/** The row above a data table: text filter, row count and, optionally, actions. */
export function DataTableToolbar({ filterLabel, filterPlaceholder, filter, onFilterChange, count, noun, actions }: DataTableToolbarProps) {
  return (
    <div className="table-toolbar">
      <TableFilterInput label={filterLabel} placeholder={filterPlaceholder} value={filter} onChange={onFilterChange} />
      <span className="muted table-count" aria-live="polite">
        {count === 1 ? `1 ${noun.one}` : `${COUNT_FORMAT.format(count)} ${noun.other}`}
      </span>
      {actions !== undefined && (
        <>
          <div className="header-spacer" />
          {actions}
        </>
      )}
    </div>
  );
}
