/** A rendered row of a virtualized table, or the empty space that stands in for rows not rendered. */
export type VirtualSlot = { kind: "row"; index: number } | { kind: "spacer"; key: string; height: number };

export interface PlacedItem {
  index: number;
  start: number;
  end: number;
}

/**
 * The body of a virtualized table in document order: the rendered rows, with a spacer row wherever
 * rows are left out (above, between, below), so the scroll height and every row's position stay
 * what they would be with all rows in the DOM. `start` is where the first row begins (below the
 * header); `totalSize` is where the last one ends. Items may be sparse: a focused row kept rendered
 * far from the rows in view gets a spacer on each side.
 */
export function layoutRows(items: readonly PlacedItem[], start: number, totalSize: number): VirtualSlot[] {
  const slots: VirtualSlot[] = [];
  let cursor = start;
  for (const item of [...items].sort((a, b) => a.index - b.index)) {
    if (item.start > cursor + 0.5) {
      slots.push({ kind: "spacer", key: slots.length === 0 ? "spacer-top" : `spacer-before-${item.index}`, height: item.start - cursor });
    }
    slots.push({ kind: "row", index: item.index });
    cursor = Math.max(cursor, item.end);
  }
  if (totalSize > cursor + 0.5) slots.push({ kind: "spacer", key: "spacer-bottom", height: totalSize - cursor });
  return slots;
}
