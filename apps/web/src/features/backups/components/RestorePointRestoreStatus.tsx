import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { formatDateTime } from "../utils/time";
import { RunStatusBadge } from "./RunStatusBadge";

export const RestorePointRestoreStatus_BackupRunFragment = graphql(`
  fragment RestorePointRestoreStatus_BackupRunFragment on BackupRun {
    id
    status
    failureReason
    message
    restoreTarget
    restoreSource
    finishedAt
  }
`);

/**
 * The newest restore started from a restore point, where the admin started it: a deleted Backup has no runs panel, so
 * its restores' progress and errors are shown here, live while they run.
 */
export function RestorePointRestoreStatus({ run }: { run: FragmentType<typeof RestorePointRestoreStatus_BackupRunFragment> }) {
  const r = useFragment(RestorePointRestoreStatus_BackupRunFragment, run);
  return (
    <div className="restore-point-restore" data-testid="restore-point-restore" role="status">
      <RunStatusBadge status={r.status} failureReason={r.failureReason} />
      {r.restoreTarget && (
        <div className="muted small">
          into <span className="mono">{r.restoreTarget}</span>
          {r.restoreSource === "COPY" ? " from the off-node copy" : ""}
          {r.finishedAt ? `, ${formatDateTime(r.finishedAt)}` : ""}
        </div>
      )}
      {r.status === "FAILED" && r.message && <p className="small text-danger">{r.message}</p>}
    </div>
  );
}
