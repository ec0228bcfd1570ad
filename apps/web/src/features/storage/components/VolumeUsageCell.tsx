import { UsageBar } from "../../../components/ui/UsageBar";
import type { CapacityAlertLevel } from "../../../gql/graphql";
import { formatBytes } from "../../backups/utils/bytes";
import { CAPACITY_ALERT_PERCENT, CRITICAL_PERCENT, formatPercent } from "../utils/usage";
import { VolumeAlertBadge } from "./VolumeAlertBadge";

export interface VolumeUsageCellProps {
  name: string;
  usage: { usedBytes: number; capacityBytes: number; percent: number } | null | undefined;
  alert?: { level: CapacityAlertLevel; thresholdPercent: number } | undefined;
  /** Opens the usage chart. */
  onOpenChart: () => void;
}

/**
 * A volume's usage in the table: a bar (amber from the alert threshold, red from 95 %), the percent
 * (a button that opens the chart; a click anywhere in the cell does too) and the open alert, if any.
 */
export function VolumeUsageCell({ name, usage, alert, onOpenChart }: VolumeUsageCellProps) {
  const warnAt = alert?.thresholdPercent ?? CAPACITY_ALERT_PERCENT;
  if (!usage) {
    return (
      <div className="usage-cell" data-testid="volume-usage">
        <span className="muted small" title="Measured once a claim mounts the volume">
          Not measured
        </span>
        {alert && <VolumeAlertBadge level={alert.level} thresholdPercent={alert.thresholdPercent} />}
      </div>
    );
  }
  const text = `${formatBytes(usage.usedBytes)} of ${formatBytes(usage.capacityBytes)}`;
  return (
    <div className="usage-cell clickable-cell" data-testid="volume-usage" onClick={onOpenChart}>
      <UsageBar
        label={`Usage of ${name}`}
        value={usage.usedBytes}
        max={usage.capacityBytes}
        valueText={`${text} (${formatPercent(usage.percent)})`}
        warnAt={warnAt}
        dangerAt={CRITICAL_PERCENT}
      />
      <div className="usage-cell-line">
        <button
          type="button"
          className="link-button num"
          aria-label={`Usage chart of ${name}: ${formatPercent(usage.percent)} used`}
          title={text}
          data-testid="volume-usage-percent"
          data-percent={usage.percent}
          onClick={(e) => {
            e.stopPropagation();
            onOpenChart();
          }}
        >
          {formatPercent(usage.percent)}
        </button>
        <span className="muted small nowrap">{text}</span>
        {alert && <VolumeAlertBadge level={alert.level} thresholdPercent={alert.thresholdPercent} />}
      </div>
    </div>
  );
}
