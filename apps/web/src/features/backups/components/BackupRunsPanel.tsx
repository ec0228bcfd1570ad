import { useCallback, useState } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { FormErrors } from "../../../components/ui/FormErrors";
import { LoadingState } from "../../../components/ui/PageState";
import { Spinner } from "../../../components/ui/Spinner";
import { toUserErrors } from "../../../lib/graphql-errors";
import { VerifyBackupRunMutation } from "../graphql/backup-mutations";
import { BackupRunsPanelQuery } from "../graphql/backup-queries";
import { upsertRunInBackup } from "../utils/run-cache";
import { PrunePreview } from "./PrunePreview";
import { RepositoryFigures } from "./RepositoryFigures";
import { RunsTable, type RunRow } from "./RunsTable";

export const RUNS_PAGE_SIZE = 20;

export interface BackupRunsPanelProps {
  backupId: string;
  backupName: string;
  canManage: boolean;
  onLogs: (run: RunRow) => void;
  onRestore: (run: RunRow) => void;
  onBrowse?: (run: RunRow) => void;
}

export function BackupRunsPanel({ backupId, backupName, canManage, onLogs, onRestore, onBrowse }: BackupRunsPanelProps) {
  const { data, error, loading, fetchMore } = useQuery(BackupRunsPanelQuery, {
    variables: { backupId, first: RUNS_PAGE_SIZE, before: null },
    fetchPolicy: "cache-and-network",
    notifyOnNetworkStatusChange: true,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [actionErrors, setActionErrors] = useState<string[]>([]);
  const [verifyingIds, setVerifyingIds] = useState<ReadonlySet<string>>(new Set());
  const [verify] = useMutation(VerifyBackupRunMutation, {
    update(cache, { data: d }) {
      const run = d?.verifyBackupRun;
      if (run) upsertRunInBackup(cache, run);
    },
  });

  const onVerify = useCallback(
    async (run: RunRow) => {
      setActionErrors([]);
      setVerifyingIds((s) => new Set(s).add(run.id));
      try {
        await verify({ variables: { runId: run.id } });
      } catch (err) {
        setActionErrors(toUserErrors(err).map((e) => e.message));
      } finally {
        setVerifyingIds((s) => {
          const next = new Set(s);
          next.delete(run.id);
          return next;
        });
      }
    },
    [verify],
  );

  const page = data?.backup.runs;

  async function loadMore() {
    if (!page?.nextBefore || loadingMore) return;
    setLoadingMore(true);
    try {
      await fetchMore({ variables: { backupId, first: RUNS_PAGE_SIZE, before: page.nextBefore } });
    } catch (err) {
      setActionErrors(toUserErrors(err).map((e) => e.message));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <section className="card panel" aria-labelledby="runs-title" data-testid="runs-panel">
      <div className="panel-header">
        <div>
          <h2 id="runs-title">
            Runs of <span className="mono">{backupName}</span>
          </h2>
          <p className="muted small">Backups, restores and verifications, newest first. Statuses update live.</p>
        </div>
        {loading && data && <Spinner label="Refreshing runs" />}
      </div>
      <FormErrors messages={actionErrors} />
      {data && <RepositoryFigures backup={data.backup} />}
      {error && !data ? (
        <FormErrors messages={toUserErrors(error).map((e) => e.message)} />
      ) : !page ? (
        <LoadingState label="Loading runs" />
      ) : (
        <>
          <RunsTable
            runs={page.nodes}
            canManage={canManage}
            verifyingIds={verifyingIds}
            onLogs={onLogs}
            onRestore={onRestore}
            onBrowse={onBrowse}
            onVerify={(run) => void onVerify(run)}
          />
          <div className="table-footer">
            <span className="muted small" aria-live="polite">
              Showing {page.nodes.length} of {page.totalCount} {page.totalCount === 1 ? "run" : "runs"}
            </span>
            {page.nextBefore && (
              <button type="button" className="btn btn-small" disabled={loadingMore} onClick={() => void loadMore()}>
                {loadingMore ? "Loading…" : "Load more"}
              </button>
            )}
          </div>
          {data && <PrunePreview backup={data.backup} />}
        </>
      )}
    </section>
  );
}
