// Kubernetes resource quantities ("10Gi", "1.5G", "500m", "1e3"), kept exact: sizes are compared and summed for
// binding and quota decisions, where float rounding would turn "exactly at the limit" into "over the limit".

export type QuantityFormat = "BinarySI" | "DecimalSI" | "DecimalExponent";

/** The pattern the real apiserver reports when a quantity does not parse. */
export const QUANTITY_PATTERN_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const NANO = 1_000_000_000n;
const BINARY: Array<[string, bigint]> = [
  ["Ei", 1n << 60n],
  ["Pi", 1n << 50n],
  ["Ti", 1n << 40n],
  ["Gi", 1n << 30n],
  ["Mi", 1n << 20n],
  ["Ki", 1n << 10n],
];
// Scale of each decimal suffix as a power of ten.
const DECIMAL: Array<[string, number]> = [
  ["E", 18],
  ["P", 15],
  ["T", 12],
  ["G", 9],
  ["M", 6],
  ["k", 3],
  ["", 0],
  ["m", -3],
  ["u", -6],
  ["n", -9],
];

const SYNTAX = /^([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|[numkMGTPE])?$/;

export class Quantity {
  /** Value in units of 1e-9 so that every suffix down to "n" stays integral. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;

  constructor(nanos: bigint, format: QuantityFormat = "DecimalSI") {
    this.nanos = nanos;
    this.format = format;
  }

  static parse(text: string): Quantity {
    const match = SYNTAX.exec(text.trim());
    if (!match || text.trim() !== text) throw new Error(QUANTITY_PATTERN_MESSAGE);
    const sign = match[1] === "-" ? -1n : 1n;
    const digits = match[2] ?? "0";
    const suffix = match[3] ?? "";
    const [intPart = "0", fracPart = ""] = digits.split(".");
    const mantissa = BigInt((intPart || "0") + fracPart);
    let scale = -fracPart.length;
    let multiplier = 1n;
    let format: QuantityFormat = "DecimalSI";
    const binary = BINARY.find(([s]) => s === suffix);
    if (binary) {
      multiplier = binary[1];
      format = "BinarySI";
    } else if (/^[eE]/.test(suffix)) {
      scale += Number(suffix.slice(1));
      format = "DecimalExponent";
    } else {
      const decimal = DECIMAL.find(([s]) => s === suffix);
      scale += decimal ? decimal[1] : 0;
    }
    // Work in nanos: value = mantissa * multiplier * 10^scale * 10^9. Sub-nano remainders round up like the apiserver.
    const exp = scale + 9;
    let nanos: bigint;
    if (exp >= 0) nanos = mantissa * multiplier * 10n ** BigInt(exp);
    else {
      const div = 10n ** BigInt(-exp);
      const num = mantissa * multiplier;
      nanos = num / div + (num % div === 0n ? 0n : 1n);
    }
    return new Quantity(sign * nanos, format);
  }

  static fromNumber(value: number, format: QuantityFormat = "DecimalSI"): Quantity {
    return new Quantity(BigInt(Math.round(value)) * NANO, format);
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.format);
  }

  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.format);
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  /** Whole units, rounded up (the way Kubernetes' Value() does), e.g. bytes for storage. */
  value(): number {
    const whole = this.nanos / NANO + (this.nanos % NANO > 0n ? 1n : 0n);
    return Number(whole);
  }

  /** Canonical form, as the apiserver would print it back. */
  toString(): string {
    return formatNanos(this.nanos, this.format);
  }

  toJSON(): string {
    return this.toString();
  }
}

function formatNanos(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return "0";
  const sign = nanos < 0n ? "-" : "";
  const abs = nanos < 0n ? -nanos : nanos;
  // Binary suffixes only fit whole values of at least 1Ki; anything else falls back to decimal, like Kubernetes.
  if (format === "BinarySI" && abs % NANO === 0n) {
    const units = abs / NANO;
    for (const [suffix, size] of BINARY) if (units >= size && units % size === 0n) return `${sign}${units / size}${suffix}`;
    if (units < 1024n) return `${sign}${units}`;
  }
  if (format === "DecimalExponent") {
    // Largest power of ten (multiple of 3) that keeps the mantissa whole.
    for (let e = 18; e >= -9; e -= 3) {
      const unit = 10n ** BigInt(e + 9);
      if (abs % unit === 0n) return e === 0 ? `${sign}${abs / unit}` : `${sign}${abs / unit}e${e}`;
    }
  }
  for (const [suffix, e] of DECIMAL) {
    const unit = 10n ** BigInt(e + 9);
    if (abs % unit === 0n) return `${sign}${abs / unit}${suffix}`;
  }
  return `${sign}${abs}n`;
}

export function parseQuantity(text: string): Quantity {
  return Quantity.parse(text);
}

/** Undefined instead of throwing, for validation code that reports its own error. */
export function tryParseQuantity(value: unknown): Quantity | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return Quantity.parse(String(value));
  if (typeof value !== "string") return undefined;
  try {
    return Quantity.parse(value);
  } catch {
    return undefined;
  }
}

export function compareQuantities(a: string, b: string): -1 | 0 | 1 {
  return Quantity.parse(a).cmp(Quantity.parse(b));
}

/** Canonicalises a quantity string ("1024Mi" -> "1Gi", "0.5" -> "500m"). */
export function canonicalQuantity(text: string): string {
  return Quantity.parse(text).toString();
}

export function bytesOf(text: string): number {
  return Quantity.parse(text).value();
}
