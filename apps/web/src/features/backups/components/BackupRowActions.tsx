export interface BackupRowActionsProps {
  name: string;
  suspended: boolean;
  busy: boolean;
  onRunNow: () => void;
  onToggleSuspend: () => void;
  onEdit: () => void;
  onDelete: () => void;
}

export function BackupRowActions({ name, suspended, busy, onRunNow, onToggleSuspend, onEdit, onDelete }: BackupRowActionsProps) {
  return (
    <div className="row-actions">
      <button
        type="button"
        className="btn btn-small"
        aria-label={`Run now: ${name}`}
        title={`Run ${name} now`}
        data-testid="backup-run-now"
        // aria-disabled, not disabled, while busy: the button keeps focus.
        aria-disabled={busy || undefined}
        onClick={busy ? undefined : onRunNow}
      >
        Run now
      </button>
      <button
        type="button"
        className="btn btn-small"
        aria-label={`${suspended ? "Resume" : "Suspend"} ${name}`}
        title={suspended ? `Resume the schedule of ${name}` : `Suspend the schedule of ${name}`}
        data-testid={suspended ? "backup-resume" : "backup-suspend"}
        aria-disabled={busy || undefined}
        onClick={busy ? undefined : onToggleSuspend}
      >
        {suspended ? "Resume" : "Suspend"}
      </button>
      <button
        type="button"
        className="btn btn-small"
        aria-label={`Edit ${name}`}
        title={`Edit ${name}`}
        data-testid="backup-edit"
        onClick={onEdit}
      >
        Edit
      </button>
      <button
        type="button"
        className="btn btn-small btn-danger-ghost"
        aria-label={`Delete ${name}`}
        title={`Delete ${name}`}
        data-testid="backup-delete"
        onClick={onDelete}
      >
        Delete
      </button>
    </div>
  );
}
