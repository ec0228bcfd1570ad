const FIELD = [
  "input:not([type=hidden]):not([disabled]):not([readonly])",
  "select:not([disabled])",
  "textarea:not([disabled]):not([readonly])",
].join(",");
const FOCUSABLE = `${FIELD},button:not([disabled]),a[href],[tabindex]:not([tabindex="-1"])`;

/** Whether focus can go to the element now: on the page, shown, enabled and not behind a modal. */
export function canFocus(el: Element | null): boolean {
  if (!(el instanceof HTMLElement) || !el.isConnected) return false;
  if ((el as HTMLButtonElement).disabled) return false;
  if (el.closest("[inert]")) return false;
  return el.getClientRects().length > 0;
}

/** Where a dialog (or panel) opens: a field marked data-autofocus, else its first field, else its first control. */
export function initialFocus(container: HTMLElement, skip?: Element | null): HTMLElement | null {
  const marked = container.querySelector("[data-autofocus]");
  if (canFocus(marked)) return marked as HTMLElement;
  for (const selector of [FIELD, FOCUSABLE]) {
    const found = Array.from(container.querySelectorAll(selector)).find((el) => el !== skip && canFocus(el));
    if (found) return found as HTMLElement;
  }
  return null;
}

/**
 * Remembers an element (a dialog's trigger, a row's button) well enough to find it again if it was
 * re-rendered: by its name, else by its place among its table row's controls ("Suspend" → "Resume").
 */
export function rememberFocus(el: Element | null) {
  const trigger = el instanceof HTMLElement && el !== document.body ? el : null;
  const label = trigger?.getAttribute("aria-label") ?? null;
  const row = trigger?.closest<HTMLElement>("tr[data-row-id]");
  const rowId = row?.getAttribute("data-row-id") ?? null;
  const indexInRow = row && trigger ? Array.from(row.querySelectorAll(FOCUSABLE)).indexOf(trigger) : -1;
  return { element: trigger, label, rowId, indexInRow };
}
export type RememberedFocus = ReturnType<typeof rememberFocus>;

function focusElement(el: HTMLElement) {
  if (!el.matches(FOCUSABLE) && !el.hasAttribute("tabindex")) el.tabIndex = -1;
  el.focus();
}

/** The control with the same name, or at the same place in the same table row, as the one remembered (re-rendered). */
export function findReplacement(remembered: RememberedFocus): HTMLElement | null {
  const { label, rowId, indexInRow } = remembered;
  if (label) {
    const same = Array.from(document.querySelectorAll(`[aria-label="${CSS.escape(label)}"]`)).find(canFocus);
    if (same) return same as HTMLElement;
  }
  const row = rowId ? document.querySelector(`tr[data-row-id="${CSS.escape(rowId)}"]`) : null;
  const samePlace = row && indexInRow >= 0 ? row.querySelectorAll(FOCUSABLE)[indexInRow] : undefined;
  return samePlace && canFocus(samePlace) ? (samePlace as HTMLElement) : null;
}

/**
 * Puts focus back where an action started: on its trigger; if the trigger was re-rendered, on its
 * replacement; if it cannot take focus, on its row; else on `fallback`, else on the main content.
 */
export function restoreFocus(remembered: RememberedFocus, fallback?: () => HTMLElement | null) {
  const { element, rowId } = remembered;
  if (element && canFocus(element)) return element.focus();
  const replaced = findReplacement(remembered);
  if (replaced) return replaced.focus();
  const sameRow = rowId ? document.querySelector<HTMLElement>(`tr[data-row-id="${CSS.escape(rowId)}"]`) : null;
  const row = element?.isConnected ? element.closest<HTMLElement>("tr, [data-focus-row]") : sameRow;
  const target = (row && !row.closest("[inert]") ? row : null) ?? fallback?.() ?? document.getElementById("main");
  if (target) focusElement(target);
}

/** After a refused submit: focus (and show) the first invalid field; returns it, or null when none is marked. */
export function focusFirstInvalid(container: HTMLElement | null): HTMLElement | null {
  const invalid = container?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? null;
  if (!invalid) return null;
  invalid.focus({ preventScroll: true });
  invalid.scrollIntoView({ block: "center" });
  return invalid;
}
