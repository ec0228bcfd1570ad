import { memo } from "react";
import type { ReactElement } from "react";
import { FlexRender } from "@tanstack/react-table";
import type { Row, RowData } from "@tanstack/react-table";
import type { DataTableFeatures } from "./features";
import type { CardSlot } from "./card-layout";
import { fromControl } from "./row-interaction";

export interface DataTableRowProps<TRow extends RowData> {
  row: Row<DataTableFeatures, TRow>;
  /** Position in the sorted, filtered rows. */
  index: number;
  /** The column definitions: new ones re-render every row (their cells may read new outside state). */
  columns: unknown;
  /** Where each cell goes on a card, and its label there (same order as the cells). */
  slots: readonly CardSlot[];
  labels: readonly string[];
  testId: string | undefined;
  selected: boolean;
  onRowClick: ((row: TRow) => void) | undefined;
  measure: ((el: HTMLTableRowElement | null) => void) | undefined;
}

/**
 * One body row. Memoised on the row's data object: a live update of one volume re-renders that row
 * only, since the cache hands back the same object for every row that did not change.
 */
export const DataTableRow = memo(
  function DataTableRow<TRow extends RowData>({
    row,
    index,
    slots,
    labels,
    testId,
    selected,
    onRowClick,
    measure,
  }: DataTableRowProps<TRow>) {
    return (
      <tr
        ref={measure}
        data-index={index}
        data-testid={testId}
        data-row-id={row.id}
        aria-rowindex={index + 2}
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
        {row.getAllCells().map((cell, i) => (
          <td key={cell.id} data-card={slots[i]} data-label={labels[i]}>
            <FlexRender cell={cell} />
          </td>
        ))}
      </tr>
    );
  },
  (a, b) =>
    a.row.original === b.row.original &&
    a.row.id === b.row.id &&
    a.index === b.index &&
    a.columns === b.columns &&
    a.slots === b.slots &&
    a.labels === b.labels &&
    a.testId === b.testId &&
    a.selected === b.selected &&
    a.onRowClick === b.onRowClick &&
    a.measure === b.measure,
) as <TRow extends RowData>(props: DataTableRowProps<TRow>) => ReactElement;
