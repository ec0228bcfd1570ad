import { useEffect, useState } from "react";
import type { RefObject } from "react";

/**
 * While virtualized, a column never gets narrower than it has been: as rows with shorter content
 * scroll in, the columns would otherwise jump left and right. Wider content still widens its column
 * (nothing is clipped), so the widths settle after the first screens. Header cells are watched with
 * a ResizeObserver, which reports sizes from the layout the browser does anyway. The widths start
 * over when the box is resized or the columns change.
 */
export function useRatchetedColumnWidths(
  active: boolean,
  theadRef: RefObject<HTMLTableSectionElement | null>,
  boxRef: RefObject<HTMLDivElement | null>,
  columnIds: string,
): number[] | null {
  const [state, setState] = useState<{ columnIds: string; widths: number[] } | null>(null);

  useEffect(() => {
    const thead = theadRef.current;
    const box = boxRef.current;
    const headerRow = thead?.rows[thead.rows.length - 1];
    if (!active || !box || !headerRow || typeof ResizeObserver === "undefined") return;
    const cells = Array.from(headerRow.cells);
    const cellObserver = new ResizeObserver(() => {
      const now = cells.map((th) => Math.ceil(th.getBoundingClientRect().width));
      setState((prev) => {
        const base = prev?.columnIds === columnIds && prev.widths.length === now.length ? prev.widths : null;
        if (base && now.every((w, i) => w <= base[i]!)) return prev;
        return { columnIds, widths: now.map((w, i) => Math.max(w, base?.[i] ?? 0)) };
      });
    });
    cells.forEach((th) => cellObserver.observe(th));

    let lastWidth = box.clientWidth;
    const boxObserver = new ResizeObserver(() => {
      if (Math.abs(box.clientWidth - lastWidth) < 1) return;
      lastWidth = box.clientWidth;
      setState(null);
    });
    boxObserver.observe(box);
    return () => {
      cellObserver.disconnect();
      boxObserver.disconnect();
    };
  }, [active, columnIds, theadRef, boxRef]);

  return active && state?.columnIds === columnIds ? state.widths : null;
}
