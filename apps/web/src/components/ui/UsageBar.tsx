export interface UsageBarProps {
  /** Accessible name, e.g. "Storage used in team-a". */
  label: string;
  value: number;
  max: number | null | undefined;
  /** Human text, e.g. "12 GiB of 50 GiB". */
  valueText: string;
}

/** A meter bar: green, amber from 75 %, red from 90 %; striped when there is no limit. */
export function UsageBar({ label, value, max, valueText }: UsageBarProps) {
  const hasMax = max != null && max > 0;
  const pct = hasMax ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  const tone = !hasMax ? "none" : pct >= 90 ? "danger" : pct >= 75 ? "warn" : "ok";
  return (
    <div
      className={`usage-bar usage-${tone}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={hasMax ? max : undefined}
      aria-valuenow={hasMax ? Math.min(value, max) : undefined}
      aria-valuetext={valueText}
    >
      <div className="usage-bar-fill" style={{ width: `${pct}%` }} />
    </div>
  );
}
