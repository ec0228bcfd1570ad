export type SizeUnit = "GiB" | "TiB";

export const SIZE_UNITS: readonly SizeUnit[] = ["GiB", "TiB"];

const GIB_PER_UNIT: Record<SizeUnit, number> = { GiB: 1, TiB: 1024 };

export type ParsedSize = { ok: true; gib: number } | { ok: false; error: string };

/**
 * Parses what a user typed in a size field into whole GiB.
 * Accepts a decimal number ("500", "1.5"); the result must be a positive whole number of GiB.
 */
export function parseSize(raw: string, unit: SizeUnit): ParsedSize {
  const text = raw.trim();
  if (text === "") return { ok: false, error: "Enter a size." };
  if (!/^\d+(\.\d+)?$/.test(text)) {
    return { ok: false, error: "Enter a positive number, e.g. 500." };
  }
  const value = Number(text);
  const gib = value * GIB_PER_UNIT[unit];
  // Rounding guards against float noise such as 0.1 TiB * 1024.
  const rounded = Math.round(gib * 1e6) / 1e6;
  if (rounded <= 0) return { ok: false, error: "Size must be greater than 0." };
  if (!Number.isInteger(rounded)) {
    return {
      ok: false,
      error: `Size must be a whole number of GiB (${formatNumber(rounded)} GiB is not).`,
    };
  }
  if (rounded > Number.MAX_SAFE_INTEGER || rounded > 2_147_483_647) {
    return { ok: false, error: "Size is too large." };
  }
  return { ok: true, gib: rounded };
}

// One NumberFormat per precision: building one costs far more than formatting with it.
const numberFormats = new Map<number, Intl.NumberFormat>();

function formatNumber(n: number, maxFractionDigits = 2): string {
  let format = numberFormats.get(maxFractionDigits);
  if (!format) {
    format = new Intl.NumberFormat("en-US", { maximumFractionDigits: maxFractionDigits });
    numberFormats.set(maxFractionDigits, format);
  }
  return format.format(n);
}

/** Human-readable size: GiB below 1 TiB, TiB from 1 TiB up (up to 2 decimals, trailing zeros trimmed). */
export function formatGiB(gib: number): string {
  if (!Number.isFinite(gib)) return "—";
  if (Math.abs(gib) >= 1024) return `${formatNumber(gib / 1024)} TiB`;
  return `${formatNumber(gib)} GiB`;
}

/**
 * A GiB amount that shows a change of a few GiB: in TiB only when it is a whole number of TiB, so
 * "2044 GiB left" does not round to "2 TiB left".
 */
export function formatGiBExact(gib: number): string {
  if (Number.isFinite(gib) && Math.abs(gib) >= 1024 && gib % 1024 !== 0) return `${formatNumber(gib)} GiB`;
  return formatGiB(gib);
}

/** Picks the unit and value that display a GiB amount naturally in a size field. */
export function toSizeFieldValue(gib: number): { value: string; unit: SizeUnit } {
  if (gib >= 1024 && gib % 1024 === 0) return { value: String(gib / 1024), unit: "TiB" };
  return { value: String(gib), unit: "GiB" };
}

/** 0..1 fraction of used vs limit, clamped; 0 when there is no positive limit. */
export function usageFraction(used: number, limit: number | null | undefined): number {
  if (limit == null || limit <= 0) return 0;
  return Math.min(1, Math.max(0, used / limit));
}
