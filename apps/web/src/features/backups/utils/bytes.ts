const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;

// Building a NumberFormat costs far more than formatting with one; tables format thousands of cells.
const BY_DIGITS = [0, 1, 2].map((digits) => new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }));

/** Human-readable byte count in binary units: 0 B, 512 B, 1.5 KiB, 2.34 GiB. "—" when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const text = BY_DIGITS[digits]!.format(value);
  return `${text} ${UNITS[unit]}`;
}

/** "1,234" for file counts; "—" when unknown. */
export function formatCount(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return "—";
  return new Intl.NumberFormat("en-US").format(n);
}
