const formatters = new Map<string, Intl.NumberFormat>();

/** Formats an amount of money; falls back to "12.34 XYZ" for unknown currency codes. */
export function formatMoney(amount: number, currency: string): string {
  let f = formatters.get(currency);
  if (!f) {
    try {
      f = new Intl.NumberFormat("en-US", {
        style: "currency",
        currency,
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      });
    } catch {
      return `${amount.toFixed(2)} ${currency}`;
    }
    formatters.set(currency, f);
  }
  return f.format(amount);
}

/** Monthly cost of a size at a per-GiB monthly price, rounded to cents. */
export function monthlyCostFor(gib: number, pricePerGiBMonth: number): number {
  return Math.round(gib * pricePerGiBMonth * 100) / 100;
}
