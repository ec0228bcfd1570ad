import { useQuery } from "@apollo/client/react";
import { Dialog } from "../../../components/ui/Dialog";
import { FormErrors } from "../../../components/ui/FormErrors";
import { LoadingState } from "../../../components/ui/PageState";
import { toUserErrors } from "../../../lib/graphql-errors";
import { BackupRunLogsQuery } from "../graphql/backup-queries";
import { isActiveRunStatus, RUN_KIND_LABEL } from "../utils/run-status";
import { formatDateTime } from "../utils/time";
import type { RunRow } from "./RunsTable";
import { RunStatusBadge } from "./RunStatusBadge";

export interface RunLogsDialogProps {
  run: RunRow;
  onClose: () => void;
}

/** The run's container log, read only when this dialog opens (logs are expensive). */
export function RunLogsDialog({ run, onClose }: RunLogsDialogProps) {
  const query = useQuery(BackupRunLogsQuery, { variables: { runId: run.id }, fetchPolicy: "no-cache" });
  const found = query.data?.backupRun;
  const error = query.error;
  const loading = !found && !error;
  const live = isActiveRunStatus(found?.status ?? run.status);

  function reload() {
    void query.refetch();
  }

  return (
    <Dialog
      title={`Logs: ${RUN_KIND_LABEL[run.kind].toLowerCase()} run ${run.snapshot ?? run.jobName ?? ""}`.trim()}
      onClose={onClose}
      size="lg"
      testId="run-logs-dialog"
      description={
        <>
          <RunStatusBadge status={found?.status ?? run.status} failureReason={run.failureReason} /> scheduled{" "}
          {formatDateTime(run.scheduledAt ?? run.startedAt)}
          {run.jobName ? (
            <>
              {" "}
              · Job <code>{run.jobName}</code>
            </>
          ) : null}
        </>
      }
    >
      {error ? (
        <FormErrors messages={toUserErrors(error).map((e) => e.message)} />
      ) : loading ? (
        <LoadingState label="Loading the log" />
      ) : !found ? (
        <p className="muted">This run&apos;s log could not be found.</p>
      ) : found.logs ? (
        <pre className="log-output" tabIndex={0} aria-label="Run log" data-testid="run-log-output">
          {found.logs}
        </pre>
      ) : (
        <p className="muted" data-testid="run-log-empty">
          {live ? "No output yet: the run has not written to its log." : "This run left no log."}
        </p>
      )}
      <div className="dialog-actions">
        {live && (
          <button type="button" className="btn" onClick={reload}>
            Reload log
          </button>
        )}
        <button type="button" className="btn btn-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
