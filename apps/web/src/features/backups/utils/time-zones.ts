const FALLBACK = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"];

let cached: readonly string[] | null = null;

/** The IANA zones the browser knows, always including UTC. */
export function allTimeZones(): readonly string[] {
  if (cached) return cached;
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  if (zones.length === 0) zones = [...FALLBACK];
  if (!zones.includes("UTC")) zones = ["UTC", ...zones];
  cached = zones;
  return zones;
}

/** The browser's own zone, e.g. "Europe/Berlin"; UTC when it cannot be read. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/**
 * Zones matching a search ("berlin", "new york", "america/"); spaces match '_' and '/'.
 * The selected zone always stays in the list so the select keeps showing it.
 */
export function filterTimeZones(zones: readonly string[], query: string, selected?: string): string[] {
  const q = query
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "_");
  const out = q ? zones.filter((z) => z.toLowerCase().includes(q) || z.toLowerCase().replace(/\//g, "_").includes(q)) : [...zones];
  if (selected && !out.includes(selected)) out.unshift(selected);
  return out;
}
