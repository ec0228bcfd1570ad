import { useCallback, useEffect, useState } from "react";
import { Link } from "react-router";
import { useQuery } from "@apollo/client/react";
import { useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { FormErrors } from "../../../components/ui/FormErrors";
import { LoadingState } from "../../../components/ui/PageState";
import { Spinner } from "../../../components/ui/Spinner";
import { toUserErrors } from "../../../lib/graphql-errors";
import {
  ApplicationRestorePointsQuery,
  RestorePointFieldsFragment,
  RestorePointPageFragment,
  VolumeRestorePointsQuery,
} from "../graphql/restore-point-queries";
import { formatBytes, formatCount } from "../utils/bytes";
import { formatDateTime } from "../utils/time";
import { isActiveRunStatus } from "../utils/run-status";
import { RescanControl } from "./RescanControl";
import { RestorePointRestoreStatus } from "./RestorePointRestoreStatus";
import { RunsTable_BackupRunFragment, type RunRow } from "./RunsTable";

export const RESTORE_POINTS_PAGE_SIZE = 10;

export type RestorePointsScope = { kind: "application"; applicationId: string } | { kind: "volume"; volumeId: string; volumeName: string };

export interface RestorePointsPanelProps {
  workspaceId: string;
  scope: RestorePointsScope;
  canManage: boolean;
  /** The volume a rescan reads (a volume's own panel); any available volume of the workspace otherwise. */
  rescanVolume?: { id: string; name: string };
  /** Opens the restore dialog (on the application's page); elsewhere Restore links to the application. */
  onRestore?: (run: RunRow) => void;
}

/**
 * The section "Restore points": snapshots that can be restored, deleted Backups' included, newest first, a page at a
 * time; with a Rescan for admins.
 */
export function RestorePointsPanel({ workspaceId, scope, canManage, rescanVolume, onRestore }: RestorePointsPanelProps) {
  // The cursors of the pages before the one shown: Previous pops, Next pushes.
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors.at(-1) ?? null;
  const onApp = scope.kind === "application";
  const app = useQuery(ApplicationRestorePointsQuery, {
    variables: { applicationId: onApp ? scope.applicationId : "", first: RESTORE_POINTS_PAGE_SIZE, after },
    skip: !onApp,
    fetchPolicy: "cache-and-network",
  });
  const vol = useQuery(VolumeRestorePointsQuery, {
    variables: { workspaceId, volumeId: onApp ? "" : scope.volumeId, first: RESTORE_POINTS_PAGE_SIZE, after },
    skip: onApp,
    fetchPolicy: "cache-and-network",
  });
  const { data, error, loading, refetch, startPolling, stopPolling } = onApp ? app : vol;
  const page = useFragment(
    RestorePointPageFragment,
    onApp ? app.data?.application.restorePoints : vol.data?.workspace.storageVolume?.restorePoints,
  );
  // A restore in progress is followed here until it ends: a deleted Backup's restores have no runs panel of their own.
  const restoring = page?.nodes.some((n) => n.lastRestore && isActiveRunStatus(n.lastRestore.status)) ?? false;
  useEffect(() => {
    if (!restoring) return;
    startPolling(2000);
    return () => stopPolling();
  }, [restoring, startPolling, stopPolling]);
  const reload = useCallback(() => {
    setCursors([]);
    void refetch().catch(() => undefined);
  }, [refetch]);

  const titleId = onApp ? "restore-points-title" : `restore-points-title-${scope.volumeId}`;
  const start = cursors.length * RESTORE_POINTS_PAGE_SIZE;

  return (
    <section className="card panel restore-points" aria-labelledby={titleId} data-testid="restore-points" id="restore-points">
      <div className="panel-header">
        <div>
          <h2 id={titleId}>Restore points</h2>
          <p className="muted small">
            Snapshots you can restore, newest first, including those of deleted backups
            {onApp ? "" : ` held by ${scope.volumeName}`}.
          </p>
        </div>
        {loading && data && <Spinner label="Refreshing restore points" />}
      </div>
      {canManage && <RescanControl workspaceId={workspaceId} volume={rescanVolume} onFinished={reload} />}
      {error && !data ? (
        <FormErrors messages={toUserErrors(error).map((e) => e.message)} />
      ) : !page ? (
        <LoadingState label="Loading restore points" />
      ) : page.totalCount === 0 ? (
        <p className="muted" data-testid="restore-points-empty">
          No restore points yet: each successful backup run adds one.
        </p>
      ) : (
        <>
          <div className="data-table-wrap">
            <table className="data-table restore-points-table">
              <caption className="visually-hidden">Restore points, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Written</th>
                  <th scope="col">Backup</th>
                  <th scope="col">Where</th>
                  <th scope="col">Size</th>
                  <th scope="col">Files</th>
                  <th scope="col">Last restore</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.nodes.map((node) => (
                  <RestorePointRow key={node.id} point={node} workspaceId={workspaceId} canManage={canManage} onRestore={onRestore} />
                ))}
              </tbody>
            </table>
          </div>
          <div className="table-footer">
            <span className="muted small" aria-live="polite">
              Showing {start + 1}–{start + page.nodes.length} of {page.totalCount}{" "}
              {page.totalCount === 1 ? "restore point" : "restore points"}
            </span>
            <span className="pager">
              <button
                type="button"
                className="btn btn-small"
                disabled={cursors.length === 0}
                onClick={() => setCursors((c) => c.slice(0, -1))}
              >
                Previous
              </button>{" "}
              <button
                type="button"
                className="btn btn-small"
                disabled={!page.hasNextPage || !page.endCursor}
                onClick={() => page.endCursor && setCursors((c) => [...c, page.endCursor!])}
              >
                Next
              </button>
            </span>
          </div>
        </>
      )}
    </section>
  );
}

function RestorePointRow({
  point,
  workspaceId,
  canManage,
  onRestore,
}: {
  point: FragmentType<typeof RestorePointFieldsFragment>;
  workspaceId: string;
  canManage: boolean;
  onRestore?: ((run: RunRow) => void) | undefined;
}) {
  const p = useFragment(RestorePointFieldsFragment, point);
  const run = useFragment(RunsTable_BackupRunFragment, p.run);
  const when = formatDateTime(p.time);
  const label = `${p.backupName} snapshot of ${when}`;
  return (
    <tr data-testid="restore-point-row">
      <td>
        <time dateTime={p.time} className="nowrap">
          {when}
        </time>
      </td>
      <td>
        <span className="mono">{p.backupName}</span>
        {p.backupDeleted && <span className="badge"> deleted</span>}
        {p.recovered && <span className="badge"> recovered</span>}
        {p.applicationName && <div className="muted small">{p.applicationName}</div>}
        {p.backupRecovered && (
          <div className="muted small" data-testid="backup-recovered">
            Backup recovered by a rescan: its schedule and function are placeholders, not what it ran with.
          </div>
        )}
      </td>
      <td>
        <span>{p.volume?.name ?? "—"}</span>
        <div className="muted small mono">{p.folder}</div>
      </td>
      <td>{formatBytes(p.totalBytes)}</td>
      <td>{formatCount(p.files)}</td>
      <td>{p.lastRestore ? <RestorePointRestoreStatus run={p.lastRestore} /> : <span className="muted">—</span>}</td>
      <td>
        {canManage &&
          (onRestore ? (
            <button type="button" className="btn btn-small" aria-label={`Restore ${label}`} onClick={() => onRestore(run)}>
              Restore
            </button>
          ) : (
            <Link
              className="btn btn-small"
              aria-label={`Restore ${label} from its application`}
              to={`/w/${encodeURIComponent(workspaceId)}/applications/${p.applicationId}/backups#restore-points`}
            >
              Restore
            </Link>
          ))}
      </td>
    </tr>
  );
}
