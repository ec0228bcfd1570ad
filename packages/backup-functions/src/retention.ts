/**
 * Snapshot names and the retention ("prune") plan: the same algorithm as bin/lib/retention.sh.
 * Both are tested against src/retention.fixtures.json so they cannot drift apart.
 */

/** `<YYYYMMDDTHHMMSSZ>` plus the format's suffix (none for rsync/custom snapshot folders). */
export const SNAPSHOT_NAME_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(\.tar\.zst|\.tar\.gz|\.pgdump|\.sql\.zst|\.sql\.gz)?$/;

/** The UTC time encoded in a snapshot name, or undefined when the name is not a snapshot. */
export function snapshotTime(name: string): Date | undefined {
  const m = SNAPSHOT_NAME_RE.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  // reject rolled-over values (20260230, hour 24, second 60, ...)
  if (
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d ||
    date.getUTCHours() !== h ||
    date.getUTCMinutes() !== mi ||
    date.getUTCSeconds() !== s
  ) {
    return undefined;
  }
  return date;
}

/** Formats a time as the snapshot time stamp `YYYYMMDDTHHMMSSZ` (UTC). */
export function snapshotStamp(time: Date): string {
  return time
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
}

export interface RetentionPolicy {
  keepLast?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
}

export interface PrunePlan {
  /** Snapshots kept, newest first. */
  keep: string[];
  /** Snapshots the next successful backup's retention deletes, newest first. */
  remove: string[];
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // throws RangeError for an unknown time zone
    f = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** Day, ISO week and month buckets of an instant in a time zone (like `date +%Y-%m-%d %G-W%V %Y-%m`). */
export function timeBuckets(time: Date, timeZone = "UTC"): { day: string; week: string; month: string } {
  const parts = formatter(timeZone).formatToParts(time);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const y = get("year");
  const m = get("month");
  const d = get("day");
  // ISO 8601 week: the week (Mon..Sun) belongs to the year of its Thursday
  const local = new Date(0);
  local.setUTCFullYear(y, m - 1, d);
  const weekday = (local.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(local.getTime() + (3 - weekday) * 86_400_000);
  const isoYear = thursday.getUTCFullYear();
  const jan1 = new Date(0);
  jan1.setUTCFullYear(isoYear, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1.getTime()) / 86_400_000 / 7) + 1;
  return { day: `${pad(y, 4)}-${pad(m)}-${pad(d)}`, week: `${pad(isoYear, 4)}-W${pad(week)}`, month: `${pad(y, 4)}-${pad(m)}` };
}

function count(name: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative whole number, got ${v}`);
  return v;
}

/**
 * Which snapshots a retention policy keeps (restic/borg semantics, as bin/lib/retention.sh):
 * newest first (time, then name, descending); the newest is always kept; keepLast keeps the N
 * most recent; keepDaily/Weekly/Monthly keep the newest snapshot of each of the N most recent
 * days / ISO weeks / months (in `timeZone`) that have snapshots; the union is kept. A policy
 * with no rule above 0 keeps everything. Entries with an invalid time are always kept.
 */
export function planPrune(snapshots: Array<{ name: string; time: Date }>, policy: RetentionPolicy, timeZone = "UTC"): PrunePlan {
  let last = count("keepLast", policy.keepLast);
  let daily = count("keepDaily", policy.keepDaily);
  let weekly = count("keepWeekly", policy.keepWeekly);
  let monthly = count("keepMonthly", policy.keepMonthly);
  formatter(timeZone);
  const valid = snapshots.filter((s) => !Number.isNaN(s.time.getTime()));
  const invalid = snapshots.filter((s) => Number.isNaN(s.time.getTime())).map((s) => s.name);
  const sorted = [...valid].sort((a, b) => {
    const dt = Math.floor(b.time.getTime() / 1000) - Math.floor(a.time.getTime() / 1000);
    if (dt !== 0) return dt;
    return a.name < b.name ? 1 : a.name > b.name ? -1 : 0;
  });
  if (last + daily + weekly + monthly === 0) {
    return { keep: [...sorted.map((s) => s.name), ...invalid], remove: [] };
  }
  const keep: string[] = [];
  const remove: string[] = [];
  let lastDay: string | undefined;
  let lastWeek: string | undefined;
  let lastMonth: string | undefined;
  sorted.forEach((s, i) => {
    const b = timeBuckets(s.time, timeZone);
    let kept = i === 0;
    if (last > 0) {
      kept = true;
      last--;
    }
    if (daily > 0 && b.day !== lastDay) {
      kept = true;
      lastDay = b.day;
      daily--;
    }
    if (weekly > 0 && b.week !== lastWeek) {
      kept = true;
      lastWeek = b.week;
      weekly--;
    }
    if (monthly > 0 && b.month !== lastMonth) {
      kept = true;
      lastMonth = b.month;
      monthly--;
    }
    (kept ? keep : remove).push(s.name);
  });
  return { keep: [...keep, ...invalid], remove };
}

/** planPrune over snapshot names (names that are not snapshots are ignored). */
export function planPruneNames(names: string[], policy: RetentionPolicy, timeZone = "UTC"): PrunePlan {
  const snapshots: Array<{ name: string; time: Date }> = [];
  for (const name of names) {
    const time = snapshotTime(name);
    if (time) snapshots.push({ name, time });
  }
  return planPrune(snapshots, policy, timeZone);
}
