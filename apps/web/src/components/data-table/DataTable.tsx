import { useCallback, useMemo, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { FocusEvent, ReactNode } from "react";
import { FlexRender } from "@tanstack/react-table";
import type { ReactTable, Row, RowData } from "@tanstack/react-table";
import { defaultRangeExtractor, measureElement, useVirtualizer } from "@tanstack/react-virtual";
import type { Range, Virtualizer } from "@tanstack/react-virtual";
import type { DataTableFeatures } from "./features";
import { layoutRows } from "./virtual-layout";
import { cardSlotOf, estimateCardHeight, useCardLayout } from "./card-layout";
import type { CardLayout, CardSlot } from "./card-layout";
import { DataTableCardSort, headerText } from "./DataTableCardSort";
import { sortAria, sortTitle } from "./row-interaction";
import { DataTableRow } from "./DataTableRow";
import { useRatchetedColumnWidths } from "./useRatchetedColumnWidths";

/** Above this many rows a table renders only the rows in view (and a few around them). */
export const VIRTUALIZE_FROM = 100;

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
  /** Row height to assume until a row is measured, in px. */
  estimatedRowHeight?: number;
  /** On narrow screens each row is a card: which columns make its title, badges and actions. */
  cardLayout?: CardLayout;
  /** Card height to assume until a card is measured, in px (default: from the number of columns). */
  estimatedCardHeight?: number;
  /** Tables with more rows than this render only the rows in view. */
  virtualizeFrom?: number;
  /** Told which rows are in the DOM after they change (all of them when the table is not virtualized). */
  onRenderedRowsChange?: (rows: readonly TRow[]) => void;
  /** Told the first and last index of the rows in the DOM when they change: a table paged from the server fetches those. */
  onRenderedRangeChange?: (first: number, last: number) => void;
  /**
   * A table paged by the server: how many rows the whole list has. The table's rows are then only the loaded ones,
   * at `rowPositions`; every other position is drawn as a loading row of the same height, by index, so nothing is
   * built per row of the list.
   */
  rowCount?: number;
  /** With rowCount: the position in the list of each of the table's rows (in order); their own order otherwise. */
  rowPositions?: readonly number[];
  /** The rows are being replaced (a new sort or filter is on its way from the server). */
  busy?: boolean;
}

/**
 * Renders a TanStack table with sortable header buttons. Markup only; state lives in the owner.
 *
 * Long tables are virtualized: the table scrolls inside its own box under a sticky header, and only
 * the rows in view are in the DOM, with spacer rows standing in for the others. The table still
 * tells assistive technology how many rows there are (aria-rowcount) and where each rendered row
 * sits (aria-rowindex), and a row that holds focus stays rendered while it is scrolled away.
 */
export function DataTable<TRow extends RowData>({
  table,
  label,
  empty,
  noMatches,
  rowTestId,
  onRowClick,
  isRowSelected,
  estimatedRowHeight = 48,
  cardLayout,
  estimatedCardHeight,
  virtualizeFrom = VIRTUALIZE_FROM,
  onRenderedRowsChange,
  onRenderedRangeChange,
  rowCount,
  rowPositions,
  busy = false,
}: DataTableProps<TRow>) {
  const modelRows = table.getRowModel().rows;
  const paged = rowCount !== undefined;
  const total = paged ? rowCount : table.getCoreRowModel().rows.length;
  const count = paged ? rowCount : modelRows.length;
  // Position -> row: the model's rows in a paged table, else the model itself (undefined: not loaded).
  const byPosition = useMemo(() => {
    if (!paged) return null;
    const map = new Map<number, Row<DataTableFeatures, TRow>>();
    modelRows.forEach((row, k) => map.set(rowPositions?.[k] ?? k, row));
    return map;
  }, [paged, modelRows, rowPositions]);
  const rowAt = useCallback((index: number) => (byPosition ? byPosition.get(index) : modelRows[index]), [byPosition, modelRows]);
  const leafColumns = table.getAllLeafColumns();
  const colCount = leafColumns.length;
  const headerGroups = table.getHeaderGroups();
  const columns = table.options.columns;
  const virtual = count > virtualizeFrom;
  const cards = useCardLayout();
  // Stable while the columns are: every row compares them to decide whether to re-render.
  const cardKey = JSON.stringify(cardLayout ?? null);
  const slots = useMemo<CardSlot[]>(
    () => leafColumns.map((c, i) => cardSlotOf(c.id, i, JSON.parse(cardKey) as CardLayout | undefined)),
    [leafColumns, cardKey],
  );
  const labels = useMemo(() => leafColumns.map((c) => headerText(c.columnDef.header, c.id)), [leafColumns]);
  const cardHeight =
    estimatedCardHeight ??
    estimateCardHeight(
      slots.filter((s) => s === "field").length,
      slots.some((s) => s === "actions"),
    );

  const scrollRef = useRef<HTMLDivElement>(null);
  const theadRef = useRef<HTMLTableSectionElement>(null);
  const [headerHeight, setHeaderHeight] = useState(0);
  // The id of the row holding focus, so it stays rendered while scrolled out of view.
  const focusedRowId = useRef<string | null>(null);
  const rowsRef = useRef(modelRows);
  rowsRef.current = modelRows;
  const positionsRef = useRef(rowPositions);
  positionsRef.current = rowPositions;
  // The rows in view and around them, without a focused row kept far away: what a paged owner should fetch.
  const inViewSpan = useRef<[number, number]>([0, -1]);

  const rangeExtractor = useCallback((range: Range) => {
    const indexes = defaultRangeExtractor(range);
    inViewSpan.current = [indexes[0] ?? 0, indexes.at(-1) ?? -1];
    const id = focusedRowId.current;
    if (id === null) return indexes;
    const k = rowsRef.current.findIndex((r) => r.id === id);
    const focused = k < 0 ? -1 : (positionsRef.current?.[k] ?? k);
    if (focused < 0 || indexes.includes(focused)) return indexes;
    return [...indexes, focused].sort((a, b) => a - b);
  }, []);

  // Stable callbacks: the virtualizer recomputes every row's position when they change identity.
  const getScrollElement = useCallback(() => scrollRef.current, []);
  // Rows not measured yet are assumed as tall as the first one measured: rows of one height then
  // never move the ones below when they are measured (no re-layout of the list while scrolling).
  const typicalHeight = useRef<number | null>(null);
  const estimate = cards ? cardHeight : estimatedRowHeight;
  const estimateSize = useCallback(() => typicalHeight.current ?? estimate, [estimate]);
  const measureRow = useCallback(
    (el: HTMLTableRowElement, entry: ResizeObserverEntry | undefined, instance: Virtualizer<HTMLDivElement, HTMLTableRowElement>) => {
      const height = measureElement(el, entry, instance);
      if (typicalHeight.current === null && height > 0) typicalHeight.current = height;
      return height;
    },
    [],
  );
  // Measured heights follow their row through a re-sort. A paged table keys by position: its rows are re-sorted by
  // the server (the list starts at the top again), and keys that change with every page would re-measure the list.
  const keyRows = paged ? null : modelRows;
  const getItemKey = useCallback((index: number) => (keyRows ? (keyRows[index]?.id ?? index) : index), [keyRows]);

  const virtualizer = useVirtualizer<HTMLDivElement, HTMLTableRowElement>({
    enabled: virtual,
    count,
    getScrollElement,
    estimateSize,
    measureElement: measureRow,
    getItemKey,
    overscan: 6,
    paddingStart: headerHeight,
    scrollPaddingStart: headerHeight,
    rangeExtractor,
  });

  // Rows and cards differ in height: crossing the breakpoint (a resize, a zoom) drops every measured
  // height and the typical one, so rows not in view are estimated anew for the new layout.
  const lastCards = useRef(cards);
  useLayoutEffect(() => {
    if (lastCards.current === cards) return;
    lastCards.current = cards;
    typicalHeight.current = null;
    if (virtual) virtualizer.measure();
  }, [cards, virtual, virtualizer]);

  // The sticky header sits above the first row inside the scroll box. Read when it resizes, not on
  // every render: reading layout after each scroll's DOM changes would force an extra layout.
  useLayoutEffect(() => {
    const thead = theadRef.current;
    if (!virtual || !thead) return;
    const read = () => setHeaderHeight(thead.getBoundingClientRect().height);
    read();
    if (typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(read);
    observer.observe(thead);
    return () => observer.disconnect();
  }, [virtual]);

  const columnWidths = useRatchetedColumnWidths(virtual && !cards, theadRef, scrollRef, leafColumns.map((c) => c.id).join("\n"));

  // A new sort or filter starts at the top of the list.
  const sortKey = JSON.stringify(table.state.sorting ?? null) + String(table.state.globalFilter ?? "");
  const lastSortKey = useRef(sortKey);
  useEffect(() => {
    if (lastSortKey.current === sortKey) return;
    lastSortKey.current = sortKey;
    if (virtual) virtualizer.scrollToOffset(0);
  }, [sortKey, virtual, virtualizer]);

  const minWidthOf = (columnId: string) => {
    const i = columnWidths ? leafColumns.findIndex((c) => c.id === columnId) : -1;
    return i >= 0 && columnWidths?.[i] ? { width: columnWidths[i], minWidth: columnWidths[i] } : undefined;
  };
  const items = virtual ? virtualizer.getVirtualItems() : [];
  const layout = virtual ? layoutRows(items, headerHeight, virtualizer.getTotalSize()) : null;

  // Tell the owner which rows are on screen (e.g. to refresh just those), when that set changes.
  const renderedIndexes = layout
    ? layout.flatMap((slot) => (slot.kind === "row" ? [slot.index] : []))
    : Array.from({ length: count }, (_, i) => i);
  const renderedRows = renderedIndexes.flatMap((i) => {
    const row = rowAt(i);
    return row ? [row] : [];
  });
  const renderedKey = renderedRows.map((r) => r.id).join("\n");
  const renderedRowsRef = useRef(renderedRows);
  renderedRowsRef.current = renderedRows;
  const lastRenderedKey = useRef<string | null>(null);
  useEffect(() => {
    if (!onRenderedRowsChange || lastRenderedKey.current === renderedKey) return;
    lastRenderedKey.current = renderedKey;
    onRenderedRowsChange(renderedRowsRef.current.map((r) => r.original));
  }, [renderedKey, onRenderedRowsChange]);

  const renderedFirst = layout ? inViewSpan.current[0] : 0;
  const renderedLast = layout ? inViewSpan.current[1] : count - 1;
  useEffect(() => {
    onRenderedRangeChange?.(renderedFirst, renderedLast);
  }, [renderedFirst, renderedLast, onRenderedRangeChange]);

  const onFocus = useCallback((e: FocusEvent<HTMLTableSectionElement>) => {
    const tr = e.target instanceof Element ? e.target.closest("tr[data-row-id]") : null;
    focusedRowId.current = tr?.getAttribute("data-row-id") ?? null;
  }, []);
  const onBlur = useCallback((e: FocusEvent<HTMLTableSectionElement>) => {
    if (!(e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget))) focusedRowId.current = null;
  }, []);

  const renderRow = (index: number, measure?: (el: HTMLTableRowElement | null) => void) => {
    const row = rowAt(index);
    return !row ? (
      <tr
        key={`placeholder-${index}`}
        ref={measure}
        data-index={index}
        aria-rowindex={index + 2}
        className="data-table-placeholder"
        style={{ height: typicalHeight.current ?? estimate }}
      >
        <td colSpan={colCount}>
          <span className="muted">Loading…</span>
        </td>
      </tr>
    ) : (
      <DataTableRow
        key={row.id}
        row={row}
        index={index}
        columns={columns}
        slots={slots}
        labels={labels}
        testId={rowTestId}
        selected={isRowSelected?.(row.original) ?? false}
        onRowClick={onRowClick}
        measure={measure}
      />
    );
  };

  return (
    <>
      {cards && count > 1 && <DataTableCardSort table={table} label={label} />}
      <div
        ref={scrollRef}
        className={virtual ? "data-table-wrap data-table-scroll" : "data-table-wrap"}
        data-virtualized={virtual ? "true" : undefined}
        // Whatever scrolls a row into view (focus, find-in-page) leaves it below the sticky header.
        style={virtual ? { scrollPaddingTop: headerHeight } : undefined}
      >
        <table className="data-table" aria-label={label} aria-rowcount={headerGroups.length + count} aria-busy={busy ? "true" : undefined}>
          <thead ref={theadRef}>
            {headerGroups.map((group, groupIndex) => (
              <tr key={group.id} aria-rowindex={groupIndex + 1}>
                {group.headers.map((header) => {
                  const canSort = header.column.getCanSort();
                  const dir = header.column.getIsSorted();
                  return (
                    <th
                      key={header.id}
                      scope="col"
                      colSpan={header.colSpan > 1 ? header.colSpan : undefined}
                      aria-sort={canSort ? sortAria(dir) : undefined}
                      data-card={slots[leafColumns.indexOf(header.column)]}
                      style={minWidthOf(header.column.id)}
                    >
                      {header.isPlaceholder ? null : canSort ? (
                        <button
                          type="button"
                          className="sort-button"
                          // Numeric columns sort largest first on the first click; the button says which way it will go.
                          title={sortTitle(header.column.getNextSortingOrder())}
                          onClick={header.column.getToggleSortingHandler()}
                        >
                          <FlexRender header={header} />
                          <span className="sort-indicator" aria-hidden="true">
                            {dir === "asc" ? "▲" : dir === "desc" ? "▼" : "↕"}
                          </span>
                        </button>
                      ) : (
                        <FlexRender header={header} />
                      )}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody onFocus={virtual ? onFocus : undefined} onBlur={virtual ? onBlur : undefined}>
            {count === 0 ? (
              <tr>
                <td colSpan={colCount} className="data-table-empty">
                  {total === 0 ? empty : (noMatches ?? "No rows match the filter.")}
                </td>
              </tr>
            ) : layout ? (
              layout.map((slot) =>
                slot.kind === "spacer" ? (
                  <tr key={slot.key} className="data-table-spacer" aria-hidden="true">
                    <td colSpan={colCount} style={{ height: slot.height }} />
                  </tr>
                ) : (
                  renderRow(slot.index, virtualizer.measureElement)
                ),
              )
            ) : (
              renderedIndexes.map((index) => renderRow(index))
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
