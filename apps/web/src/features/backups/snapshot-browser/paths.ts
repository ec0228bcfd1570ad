/** The folders from the snapshot's root down to `path`, each with the path that opens it. */
export function breadcrumbs(path: string): Array<{ name: string; path: string }> {
  const parts = path.split("/").filter(Boolean);
  return [{ name: "Snapshot root", path: "/" }, ...parts.map((name, i) => ({ name, path: `/${parts.slice(0, i + 1).join("/")}` }))];
}

/** Where `entry` sits relative to `folder`, for search results below it: "2026/december/report.csv". */
export function relativeTo(folder: string, entry: string): string {
  const prefix = folder === "/" ? "/" : `${folder}/`;
  return entry.startsWith(prefix) ? entry.slice(prefix.length) : entry;
}

/** "1–50 of 122" */
export function pageLabel(offset: number, count: number, total: number): string {
  if (total === 0) return "No entries";
  return `${offset + 1}–${offset + count} of ${total}`;
}

/** A claim folder as the restore expects it: relative, no "..", no empty parts. Null when acceptable. */
export function intoFolderProblem(value: string): string | null {
  const folder = value.trim().replace(/^\/+|\/+$/g, "");
  if (!folder) return "Give the folder of the claim to restore into, e.g. restored/today.";
  if (folder.split("/").some((p) => p === "" || p === "." || p === ".."))
    return "Use a folder inside the claim, without '.' or '..' parts.";
  return null;
}
