/**
 * Figures as the admins read them in the dashboard, so a message and the Storage table never disagree: sizes in
 * binary units with the table's digits, percentages as whole numbers ("<1%" below one), dates in words in the
 * zone of the schedule that set them.
 */

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;
const BY_DIGITS = [0, 1, 2].map((digits) => new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }));

/** "1.5 KiB", "2.34 GiB", "650 GiB": the web's formatBytes, digit for digit. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${BY_DIGITS[digits]!.format(value)} ${UNITS[unit]}`;
}

/**
 * "87%": the Storage table's figure rounded to a whole percent, as the spec's sentence says it; "<1%" for a volume
 * barely used, where "0%" would say it is empty.
 */
export function formatPercent(percent: number): string {
  if (!Number.isFinite(percent)) return "—";
  if (percent > 0 && percent < 1) return "<1%";
  return `${Math.round(percent)}%`;
}

const formats = new Map<string, { when: Intl.DateTimeFormat; us: Intl.DateTimeFormat; gb: Intl.DateTimeFormat }>();

/** "Tue 8 Dec, 02:00 CET": a moment as a person in that zone says it (an unknown zone reads as UTC). */
export function formatWhen(at: Date, timeZone = "UTC"): string {
  let format = formats.get(timeZone);
  if (!format) {
    const zone = isZone(timeZone) ? timeZone : "UTC";
    const options = { timeZone: zone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" } as const;
    format = {
      when: new Intl.DateTimeFormat("en-GB", { ...options, hourCycle: "h23" }),
      // American zones have names people use (EST, PDT) only in en-US; elsewhere en-GB names them (CET, BST) or gives the offset.
      us: new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" }),
      gb: new Intl.DateTimeFormat("en-GB", { timeZone: zone, timeZoneName: "short" }),
    };
    formats.set(timeZone, format);
  }
  const parts = format.when.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const name = (f: Intl.DateTimeFormat) => f.formatToParts(at).find((p) => p.type === "timeZoneName")?.value ?? "";
  const gb = name(format.gb);
  const us = name(format.us);
  const zoneName = /^[A-Z]{2,5}$/.test(gb) ? gb : /^[A-Z]{2,5}$/.test(us) ? us : gb;
  return `${part("weekday")} ${part("day")} ${part("month")}, ${part("hour")}:${part("minute")} ${zoneName}`;
}

function isZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    return true;
  } catch {
    return false;
  }
}
