/** What a sortable header tells assistive technology about its column now. */
export function sortAria(dir: false | "asc" | "desc"): "ascending" | "descending" | "none" {
  return dir === "asc" ? "ascending" : dir === "desc" ? "descending" : "none";
}

/** What the next click on a sortable header does; numeric columns sort largest first on the first click. */
export function sortTitle(next: false | "asc" | "desc"): string {
  return next === "desc" ? "Sort descending (largest or latest first)" : next === "asc" ? "Sort ascending" : "Remove sorting";
}

/** Whether a click on a row landed on one of its controls (which act on their own, not as a row click). */
export function fromControl(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("button, a, input, select, textarea, label") !== null;
}
