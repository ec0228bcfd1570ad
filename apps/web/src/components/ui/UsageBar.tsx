export interface UsageBarProps {
  /** Accessible name, e.g. "Storage used in team-a". */
  label: string;
  value: number;
  max: number | null | undefined;
  /** Human text, e.g. "12 GiB of 50 GiB". */
  valueText: string;
  /** Percent from which the bar is amber (default 75). */
  warnAt?: number;
  /** Percent from which the bar is red (default 90). */
  dangerAt?: number;
}

/** A meter bar: green, amber from `warnAt` (75 %), red from `dangerAt` (90 %); striped when there is no limit. */
export function UsageBar({ label, value, max, valueText, warnAt = 75, dangerAt = 90 }: UsageBarProps) {
  const hasMax = max != null && max > 0;
  const pct = hasMax ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  const tone = !hasMax ? "none" : pct >= dangerAt ? "danger" : pct >= warnAt ? "warn" : "ok";
  if (!hasMax) {
    // A meter needs a current value within a range; with no limit there is none, so the bar is a picture with its words.
    return (
      <div className={`usage-bar usage-${tone}`} role="img" aria-label={`${label}: ${valueText}`}>
        <div className="usage-bar-fill" style={{ width: "0%" }} />
      </div>
    );
  }
  return (
    <div
      className={`usage-bar usage-${tone}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={Math.min(value, max)}
      aria-valuetext={valueText}
    >
      <div className="usage-bar-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
