import { lazy, Suspense, useCallback, useMemo, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useMutation, useQuery } from "@apollo/client/react";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { FormErrors } from "../../../components/ui/FormErrors";
import { toUserErrors } from "../../../lib/graphql-errors";
import { withParam } from "../../../components/data-table/url-state";
import { dataClaims, uncoveredClaimsLabel } from "../../applications/utils/claims";
import {
  DismissUncoveredClaimMutation,
  ResumeBackupMutation,
  RunBackupNowMutation,
  SuspendBackupMutation,
} from "../graphql/backup-mutations";
import { BackupVolumeChoicesQuery } from "../graphql/volume-choices";
import { useBackupRunChanges } from "../hooks/useBackupRunChanges";
import { upsertRunInBackup } from "../utils/run-cache";
import { BackupReadOnlyNote } from "./BackupReadOnlyNote";
import { BackupRunsPanel } from "./BackupRunsPanel";
import { BackupsTable, type BackupRow } from "./BackupsTable";
import { RestorePointsPanel } from "./RestorePointsPanel";
import type { RunRow } from "./RunsTable";

const BackupFormDialog = lazy(() => import("./BackupFormDialog").then((m) => ({ default: m.BackupFormDialog })));
const DeleteBackupDialog = lazy(() => import("./DeleteBackupDialog").then((m) => ({ default: m.DeleteBackupDialog })));
const RunLogsDialog = lazy(() => import("./RunLogsDialog").then((m) => ({ default: m.RunLogsDialog })));
const SnapshotBrowser = lazy(() => import("../snapshot-browser/SnapshotBrowser").then((m) => ({ default: m.SnapshotBrowser })));
const RestoreRunDialog = lazy(() => import("./RestoreRunDialog").then((m) => ({ default: m.RestoreRunDialog })));

export const BackupSection_WorkspaceFragment = graphql(`
  fragment BackupSection_WorkspaceFragment on Workspace {
    id
    viewerRole
    plan {
      id
      name
      dedicated
    }
  }
`);

export const BackupSection_ApplicationFragment = graphql(`
  fragment BackupSection_ApplicationFragment on Application {
    id
    name
    namespace
    claims {
      name
      storageClassName
      capacityGiB
      phase
      isStorageVolume
      coveredByBackup
      dismissed
      restoredFrom
    }
    backupPage(first: 100, after: $backupsAfter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        source {
          pvcName
        }
        ...BackupsTable_BackupFragment
        ...BackupFormDialog_BackupFragment
      }
    }
  }
`);

type OpenDialog =
  | { kind: "create"; sourcePvcName?: string }
  | { kind: "edit"; backupId: string }
  | { kind: "delete"; backup: BackupRow }
  | { kind: "logs"; run: RunRow }
  | { kind: "restore"; run: RunRow }
  | { kind: "browse"; run: RunRow; claimName: string | null }
  | null;

export function BackupSection({
  workspace,
  application,
  onMoreBackups,
}: {
  workspace: FragmentType<typeof BackupSection_WorkspaceFragment>;
  application: FragmentType<typeof BackupSection_ApplicationFragment>;
  /** Reads the page of backups after `after` into the list ("Show more"). */
  onMoreBackups?: (after: string) => Promise<unknown>;
}) {
  const ws = useFragment(BackupSection_WorkspaceFragment, workspace);
  const app = useFragment(BackupSection_ApplicationFragment, application);
  const backups = app.backupPage.nodes;
  const [loadingMore, setLoadingMore] = useState(false);
  const canManage = ws.viewerRole === "ADMIN";
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<OpenDialog>(null);
  const [actionErrors, setActionErrors] = useState<string[]>([]);
  const [busyIds, setBusyIds] = useState<ReadonlySet<string>>(new Set());
  const { error: liveError } = useBackupRunChanges(app.id);

  const requested = params.get("backup");
  const selected = backups.find((b) => b.id === requested) ?? backups[0] ?? null;
  const selectedId = selected?.id ?? null;

  const claims = useMemo(() => dataClaims(app.claims), [app.claims]);
  const uncovered = claims.filter((c) => !c.coveredByBackup && !c.dismissed && !c.restoredFrom);
  // A restored copy is flagged apart: the admin decides whether it needs a backup of its own.
  const restored = claims.filter((c) => !c.coveredByBackup && !c.dismissed && c.restoredFrom);
  const [dismissClaim] = useMutation(DismissUncoveredClaimMutation, { refetchQueries: "active" });
  // The workspace's volumes are not loaded here (there may be thousands): how many are available, and the pickers
  // search the rest on the server.
  const { data: volumeChoices } = useQuery(BackupVolumeChoicesQuery, { variables: { workspaceId: ws.id } });
  const availableCount = volumeChoices?.workspace.storageVolumePage.totalCount ?? null;
  // A restore into a new claim may use a StorageClass the namespace's claims already use.
  const storageClasses = useMemo(
    () => Array.from(new Set(app.claims.map((c) => c.storageClassName).filter((n): n is string => Boolean(n)))).sort(),
    [app.claims],
  );

  const close = useCallback(() => setDialog(null), []);
  const select = useCallback((b: { id: string }) => setParams((prev) => withParam(prev, "backup", b.id), { replace: true }), [setParams]);

  const [runNow] = useMutation(RunBackupNowMutation, {
    update(cache, { data }) {
      const run = data?.runBackupNow;
      if (run) upsertRunInBackup(cache, run);
    },
  });
  const [suspend] = useMutation(SuspendBackupMutation);
  const [resume] = useMutation(ResumeBackupMutation);

  const withBusy = useCallback(async (id: string, action: () => Promise<unknown>) => {
    setActionErrors([]);
    setBusyIds((s) => new Set(s).add(id));
    try {
      await action();
    } catch (err) {
      setActionErrors(toUserErrors(err).map((e) => e.message));
    } finally {
      setBusyIds((s) => {
        const next = new Set(s);
        next.delete(id);
        return next;
      });
    }
  }, []);

  const onRunNow = useCallback(
    (b: BackupRow) => {
      select(b);
      void withBusy(b.id, () => runNow({ variables: { id: b.id } }));
    },
    [select, withBusy, runNow],
  );
  const onToggleSuspend = useCallback(
    (b: BackupRow) => void withBusy(b.id, () => (b.suspended ? resume({ variables: { id: b.id } }) : suspend({ variables: { id: b.id } }))),
    [withBusy, resume, suspend],
  );
  const onEdit = useCallback((b: BackupRow) => setDialog({ kind: "edit", backupId: b.id }), []);
  const onDelete = useCallback((b: BackupRow) => setDialog({ kind: "delete", backup: b }), []);
  const onLogs = useCallback((run: RunRow) => setDialog({ kind: "logs", run }), []);
  const onRestore = useCallback((run: RunRow) => setDialog({ kind: "restore", run }), []);
  const browseClaim = selected?.source.pvcName ?? null;
  const onBrowse = useCallback((run: RunRow) => setDialog({ kind: "browse", run, claimName: browseClaim }), [browseClaim]);

  // Set only while the edit dialog is open and its backup still exists; the form dialog creates without it.
  const editing = dialog?.kind === "edit" ? backups.find((b) => b.id === dialog.backupId) : undefined;
  const moreAfter = app.backupPage.pageInfo.hasNextPage ? app.backupPage.pageInfo.endCursor : null;
  const showMore = () => {
    if (!moreAfter || !onMoreBackups) return;
    setLoadingMore(true);
    void onMoreBackups(moreAfter)
      .catch((e: unknown) => setActionErrors(toUserErrors(e).map((x) => x.message)))
      .finally(() => setLoadingMore(false));
  };

  return (
    <div className="backup-section">
      {!canManage && <BackupReadOnlyNote />}
      {uncovered.length > 0 && (
        <p className="alert alert-warn" data-testid="uncovered-claims">
          {uncoveredClaimsLabel(uncovered.length)}: {uncovered.map((c) => c.name).join(", ")}.{" "}
          {canManage ? "Create a backup that reads from them." : "Ask a Workspace Admin to back them up."}
        </p>
      )}

      {restored.map((c) => (
        <div className="alert alert-warn" data-testid="restored-claim" key={c.name}>
          <span>
            <span className="mono">{c.name}</span> was restored from <strong>{c.restoredFrom}</strong> and has no backup of its own.
          </span>{" "}
          {canManage && (
            <>
              <button type="button" className="btn btn-small" onClick={() => setDialog({ kind: "create", sourcePvcName: c.name })}>
                Back it up
              </button>{" "}
              <button
                type="button"
                className="btn btn-small"
                onClick={() => void dismissClaim({ variables: { applicationId: app.id, claimName: c.name } }).catch(() => undefined)}
              >
                Dismiss
              </button>
            </>
          )}
        </div>
      ))}

      {!ws.plan.dedicated && app.backupPage.totalCount === 0 && (
        // Said once, instead of a New backup dialog whose destination list can only be empty.
        <p className="alert alert-info" data-testid="backups-need-dedicated-plan">
          Backups write into Storage Volumes, which come with the <strong>Dedicated Plan</strong>; this workspace is on the {ws.plan.name}{" "}
          plan.{" "}
          {canManage
            ? "Upgrade the workspace to a Dedicated Plan to create volumes and back up "
            : "Ask a Workspace Admin to upgrade the workspace to back up "}
          {app.name}.
        </p>
      )}

      <section className="card panel" aria-labelledby="backups-title">
        <div className="panel-header">
          <div>
            <h2 id="backups-title">Backups</h2>
            <p className="muted small">
              Scheduled backups of <strong>{app.name}</strong> (namespace <span className="mono">{app.namespace}</span>), each run by a
              CronJob into a folder of a Storage Volume.
            </p>
          </div>
          {liveError && (
            <span className="small text-warn" role="status">
              Live updates paused; reload to see the latest runs.
            </span>
          )}
        </div>
        <FormErrors messages={actionErrors} />
        <BackupsTable
          backups={backups}
          selectedId={selectedId}
          onSelect={select}
          canManage={canManage}
          busyIds={busyIds}
          onRunNow={onRunNow}
          onToggleSuspend={onToggleSuspend}
          onEdit={onEdit}
          onDelete={onDelete}
          toolbar={
            canManage && ws.plan.dedicated ? (
              <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: "create" })}>
                New backup
              </button>
            ) : null
          }
        />
        {moreAfter && (
          <p className="small muted" data-testid="more-backups">
            Showing {backups.length} of {app.backupPage.totalCount} backups.{" "}
            <button type="button" className="btn btn-small" disabled={loadingMore} onClick={showMore}>
              {loadingMore ? "Loading…" : "Show more backups"}
            </button>
          </p>
        )}
        {canManage && availableCount === 0 && (
          <p className="muted small">
            Backups are written to a Storage Volume, and this workspace has none available yet.{" "}
            <Link to={`/w/${encodeURIComponent(ws.id)}/storage`}>Create one in Storage</Link>.
          </p>
        )}
      </section>

      {selected && (
        <BackupRunsPanel
          key={selected.id}
          backupId={selected.id}
          backupName={selected.name}
          canManage={canManage}
          onLogs={onLogs}
          onRestore={onRestore}
          onBrowse={onBrowse}
        />
      )}

      <RestorePointsPanel
        workspaceId={ws.id}
        scope={{ kind: "application", applicationId: app.id }}
        canManage={canManage}
        onRestore={onRestore}
      />

      <Suspense fallback={null}>
        {(dialog?.kind === "create" || editing) && (
          <BackupFormDialog
            key={editing?.id ?? "create"}
            applicationId={app.id}
            applicationName={app.name}
            workspaceId={ws.id}
            claims={claims}
            backup={editing}
            sourcePvcName={dialog?.kind === "create" ? dialog.sourcePvcName : undefined}
            onClose={close}
            onSaved={select}
          />
        )}
        {dialog?.kind === "delete" && <DeleteBackupDialog backup={{ ...dialog.backup, applicationId: app.id }} onClose={close} />}
        {dialog?.kind === "logs" && <RunLogsDialog run={dialog.run} onClose={close} />}
        {dialog?.kind === "browse" && (
          <SnapshotBrowser run={dialog.run} claimName={dialog.claimName} canManage={canManage} onClose={close} />
        )}
        {dialog?.kind === "restore" && (
          <RestoreRunDialog run={dialog.run} namespace={app.namespace} claims={claims} storageClasses={storageClasses} onClose={close} />
        )}
      </Suspense>
    </div>
  );
}
