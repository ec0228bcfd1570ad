import { useQuery } from "@apollo/client/react";
import { Dialog } from "../../../components/ui/Dialog";
import { FormErrors } from "../../../components/ui/FormErrors";
import { Spinner } from "../../../components/ui/Spinner";
import { Quote, QuoteRow } from "../../../components/ui/Quote";
import { toUserErrors } from "../../../lib/graphql-errors";
import { formatBytes } from "../../backups/utils/bytes";
import { useNow } from "../../backups/hooks/useNow";
import { VolumeUsageHistoryQuery } from "../graphql/volume-usage";
import { CAPACITY_ALERT_PERCENT, forecastText, formatPercent } from "../utils/usage";
import { UsageChart } from "./UsageChart";
import { RestorePointsPanel } from "../../backups/components/RestorePointsPanel";

export interface VolumeUsageDialogProps {
  workspaceId: string;
  volume: { id: string; name: string };
  thresholdPercent?: number | undefined;
  /** Workspace Admins see Restore and Rescan beside the volume's restore points. */
  canManage?: boolean;
  onClose: () => void;
}

/** A volume's usage over the last 24 hours as a chart, its current usage and when it fills up. */
export function VolumeUsageDialog({
  workspaceId,
  volume,
  thresholdPercent = CAPACITY_ALERT_PERCENT,
  canManage = false,
  onClose,
}: VolumeUsageDialogProps) {
  const now = useNow(10_000);
  const { data, error } = useQuery(VolumeUsageHistoryQuery, {
    variables: { workspaceId, volumeId: volume.id },
    fetchPolicy: "cache-and-network",
    pollInterval: 5000,
  });
  const v = data?.workspace.storageVolume;
  return (
    <Dialog
      title={`Usage of ${volume.name}`}
      onClose={onClose}
      size="lg"
      testId="volume-usage-dialog"
      description="Used share of the volume over the last 24 hours, as its kubelet reports it."
    >
      {error && !data && <FormErrors messages={toUserErrors(error).map((e) => e.message)} />}
      {!data && !error && <Spinner label="Loading usage" />}
      {data && !v && <p className="muted">This volume no longer exists.</p>}
      {v && (
        <>
          {v.usageHistory.length === 0 ? (
            <p className="muted" data-testid="usage-chart-empty">
              No samples yet: usage is measured once a claim mounts the volume.
            </p>
          ) : (
            <UsageChart
              name={v.name}
              samples={v.usageHistory}
              thresholdPercent={thresholdPercent}
              projection={
                v.usage?.projection.steps.length || v.usage?.projection.firstFailure
                  ? {
                      steps: v.usage.projection.steps,
                      capacityBytes: v.usage.capacityBytes,
                      firstFailure: v.usage.projection.firstFailure && {
                        at: v.usage.projection.firstFailure.at,
                        source: `the ${v.usage.projection.firstFailure.backupName} backup (needs ${formatBytes(v.usage.projection.firstFailure.neededBytes)}, ${formatBytes(v.usage.projection.firstFailure.freeBytes)} free)`,
                      },
                    }
                  : null
              }
            />
          )}
          <Quote label="Current usage" testId="volume-usage-quote">
            <QuoteRow term="Used">
              {v.usage
                ? `${formatBytes(v.usage.usedBytes)} of ${formatBytes(v.usage.capacityBytes)} (${formatPercent(v.usage.percent)})`
                : "—"}
            </QuoteRow>
            <QuoteRow term="Forecast">
              <span data-testid="usage-forecast">{v.usage ? forecastText(v.usage.estimatedFullAt, now) : "—"}</span>
            </QuoteRow>
          </Quote>
          <RestorePointsPanel
            workspaceId={workspaceId}
            scope={{ kind: "volume", volumeId: volume.id, volumeName: volume.name }}
            canManage={canManage}
            rescanVolume={{ id: volume.id, name: volume.name }}
          />
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
