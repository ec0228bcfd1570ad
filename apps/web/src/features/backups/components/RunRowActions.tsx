import { snapshotUnavailableReason, verifyUnavailableReason, type SnapshotRunLike } from "../utils/run-status";

export interface RunRowActionsProps {
  run: SnapshotRunLike;
  /** e.g. "backup run of Sun, 5 Jan 2025, 02:00": completes the buttons' accessible names. */
  runLabel: string;
  canManage: boolean;
  verifying: boolean;
  onLogs: () => void;
  onRestore: () => void;
  onVerify: () => void;
  /** Opens the snapshot's files (file-level restore); for every viewer, as browsing changes nothing. */
  onBrowse?: () => void;
}

export function RunRowActions({ run, runLabel, canManage, verifying, onLogs, onRestore, onVerify, onBrowse }: RunRowActionsProps) {
  const snapshotBlocked = snapshotUnavailableReason(run);
  const verifyBlocked = verifyUnavailableReason(run);
  return (
    <div className="row-actions">
      <button type="button" className="btn btn-small" aria-label={`Logs of the ${runLabel}`} data-testid="run-logs" onClick={onLogs}>
        Logs
      </button>
      {onBrowse && !snapshotBlocked && (
        <button
          type="button"
          className="btn btn-small"
          aria-label={`Browse the files of the ${runLabel}`}
          data-testid="run-browse"
          onClick={onBrowse}
        >
          Files
        </button>
      )}
      {canManage && !snapshotBlocked && (
        <button
          type="button"
          className="btn btn-small"
          aria-label={`Restore the ${runLabel}`}
          title={`Restore snapshot ${run.snapshot ?? ""}`}
          data-testid="run-restore"
          onClick={onRestore}
        >
          Restore
        </button>
      )}
      {canManage && !snapshotBlocked && (
        <button
          type="button"
          className="btn btn-small"
          aria-label={`Verify the ${runLabel}`}
          title={verifyBlocked ?? `Read snapshot ${run.snapshot ?? ""} back completely`}
          data-testid="run-verify"
          // aria-disabled, not disabled, while verifying: the button keeps focus.
          aria-disabled={verifying || verifyBlocked !== null || undefined}
          onClick={verifying || verifyBlocked !== null ? undefined : onVerify}
        >
          {verifying ? "Verifying…" : "Verify"}
        </button>
      )}
    </div>
  );
}
