import { useSyncExternalStore } from "react";

/**
 * Below this width a data table shows each row as a card (title, badge, label/value pairs, actions).
 * styles.css has the same width in its card-layout media block; keep the two equal.
 */
export const CARD_LAYOUT_QUERY = "(max-width: 720px)";

/** Where a cell goes on a card. */
export type CardSlot = "title" | "badge" | "field" | "actions";

export interface CardLayout {
  /** The column shown as the card's title (default: the first column). */
  title?: string;
  /** Columns shown next to the title, e.g. a status badge. */
  badges?: readonly string[];
  /** The column holding the row's buttons (default: "actions"). */
  actions?: string;
}

export function cardSlotOf(columnId: string, index: number, layout: CardLayout | undefined): CardSlot {
  if (columnId === (layout?.actions ?? "actions")) return "actions";
  if (layout?.title !== undefined ? columnId === layout.title : index === 0) return "title";
  if (layout?.badges?.includes(columnId)) return "badge";
  return "field";
}

/**
 * A card's height before it is measured: a title line, one line per label/value pair and a row of
 * buttons, with the card's padding. Virtualized tables need it close, so the scroll height is right.
 */
export function estimateCardHeight(fieldCount: number, hasActions: boolean): number {
  return 24 + 30 + fieldCount * 26 + (hasActions ? 46 : 0);
}

function subscribe(onChange: () => void): () => void {
  if (typeof window === "undefined" || typeof window.matchMedia !== "function") return () => {};
  const query = window.matchMedia(CARD_LAYOUT_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

function snapshot(): boolean {
  return typeof window !== "undefined" && typeof window.matchMedia === "function" && window.matchMedia(CARD_LAYOUT_QUERY).matches;
}

/** Whether tables show cards now (follows window resizes and zoom). */
export function useCardLayout(): boolean {
  return useSyncExternalStore(subscribe, snapshot, () => false);
}
