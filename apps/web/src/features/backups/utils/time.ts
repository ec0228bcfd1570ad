const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
  ["second", 1],
];

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** Past events within this of now read "just now" rather than "45 seconds ago". */
const JUST_NOW_SECONDS = 45;

/**
 * A time that may lie ahead (a next run, when a volume fills up): "in 3 hours", "5 minutes ago", "just now";
 * "—" for missing or unparsable times.
 */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  return relativeTo(Math.round((t - now) / 1000));
}

/**
 * An event that has happened (a run started or finished, a snapshot pruned): "just now", "5 minutes ago", never a
 * future. A page's `now` is re-read only every few seconds and the browser's clock may lag the server's, so a run
 * that just finished can carry a time after `now`; that is still the past.
 */
export function formatPast(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  return relativeTo(Math.min(0, Math.round((t - now) / 1000)));
}

function relativeTo(diffSeconds: number): string {
  const abs = Math.abs(diffSeconds);
  if (abs < JUST_NOW_SECONDS) return diffSeconds > 0 ? "in a few seconds" : "just now";
  for (const [unit, seconds] of UNITS) {
    if (abs >= seconds || unit === "second") return relative.format(Math.round(diffSeconds / seconds), unit);
  }
  return "—";
}

// One formatter per time zone: building a DateTimeFormat costs far more than formatting with it,
// and tables format a date in every row.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone ?? "");
  if (cached) return cached;
  const opts: Intl.DateTimeFormatOptions = {
    weekday: "short",
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
  };
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat("en-GB", timeZone ? { ...opts, timeZone } : opts);
  } catch {
    formatter = new Intl.DateTimeFormat("en-GB", opts);
  }
  formatters.set(timeZone ?? "", formatter);
  return formatter;
}

/** An absolute date and time, e.g. "Sun, 5 Jan 2025, 02:00 CET", in `timeZone` (default: the browser's). */
export function formatDateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return "—";
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return "—";
  return formatterFor(timeZone).format(new Date(t));
}

/** "45 s", "3 min 20 s", "1 h 05 min"; "—" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${String(m % 60).padStart(2, "0")} min`;
}
