import type { StorageVolumeStatus } from "../../../gql/graphql";
import { Spinner } from "../../../components/ui/Spinner";
import { isBusyStatus, STATUS_LABEL } from "../utils/volume-status";

export function VolumeStatusBadge({ status, failureReason }: { status: StorageVolumeStatus; failureReason?: string | null | undefined }) {
  const busy = isBusyStatus(status);
  return (
    <span className="status-cell">
      <span className={`badge status-${status.toLowerCase()}`} data-status={status}>
        {busy && <Spinner />}
        {STATUS_LABEL[status]}
        {busy && <span aria-hidden="true">…</span>}
      </span>
      {status === "FAILED" && failureReason && <span className="failure-reason">{failureReason}</span>}
    </span>
  );
}
