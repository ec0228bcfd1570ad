import type { CapacityAlertLevel } from "../../../gql/graphql";
import { alertLevelDescription, alertLevelLabel } from "../utils/usage";

/** An open capacity alert of a volume: "Over 85%", "Critical", "Filling fast". */
export function VolumeAlertBadge({ level, thresholdPercent }: { level: CapacityAlertLevel; thresholdPercent: number }) {
  return (
    <span
      className={`badge ${level === "CRITICAL" ? "tone-danger" : "tone-warn"}`}
      data-testid="volume-alert-badge"
      data-level={level}
      title={alertLevelDescription(level, thresholdPercent)}
    >
      <span aria-hidden="true">⚠</span>
      <span className="visually-hidden">Capacity alert: </span>
      {alertLevelLabel(level, thresholdPercent)}
    </span>
  );
}
