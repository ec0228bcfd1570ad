import { findReplacement, rememberFocus, type RememberedFocus } from "./focus";

/**
 * Keeps keyboard focus when a re-render replaces the focused control with an equal one (a table's
 * cells are rebuilt when their definitions change: a busy flag, the clock; a page re-reads its data):
 * focus would otherwise fall to the page. Started once at the root; returns its stop function.
 */
export function keepFocusAcrossRerenders(root: Node = document.body): () => void {
  let last: RememberedFocus | null = null;
  const onFocusIn = (e: FocusEvent) => {
    // A dialog gives focus back itself when it closes (see Dialog).
    last = e.target instanceof Element && !e.target.closest("dialog") ? rememberFocus(e.target) : null;
  };
  const observer = new MutationObserver(() => {
    if (!last?.element || last.element.isConnected) return;
    if (document.activeElement !== document.body && document.activeElement !== null) return;
    const next = findReplacement(last);
    if (next) next.focus({ preventScroll: true });
  });
  document.addEventListener("focusin", onFocusIn);
  observer.observe(root, { childList: true, subtree: true });
  return () => {
    document.removeEventListener("focusin", onFocusIn);
    observer.disconnect();
  };
}
