import type { BackupFailureReason, BackupRunStatus } from "../../../gql/graphql";
import { Spinner } from "../../../components/ui/Spinner";
import { runOutcomeLabel, runStatusTone } from "../utils/run-status";

/** A run's status in words and colour; Missed is amber, only success is green. */
export function RunStatusBadge({
  status,
  failureReason,
}: {
  status: BackupRunStatus;
  failureReason?: BackupFailureReason | null | undefined;
}) {
  const busy = status === "RUNNING";
  return (
    <span className={`badge tone-${runStatusTone(status)}`} data-status={status} data-testid="run-status">
      {busy && <Spinner />}
      {runOutcomeLabel(status, failureReason)}
    </span>
  );
}
