import { lazy, Suspense, useCallback, useMemo, useRef, useState } from "react";
import type { ResultOf } from "@graphql-typed-document-node/core";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { RepositoryKeyPanel } from "../../repository-key/components/RepositoryKeyPanel";
import { ForecastDaysPanel } from "../../assistant/components/ForecastDaysPanel";
import { NamespaceQuotasPanel } from "../../quotas/components/NamespaceQuotasPanel";
import type { NamespaceQuotaData } from "../../quotas/components/NamespaceQuotaRow";
import { useCapacityAlertChanges } from "../hooks/useCapacityAlertChanges";
import { useStorageVolumeChanges } from "../hooks/useStorageVolumeChanges";
import { useVolumeUsagePolling } from "../hooks/useVolumeUsagePolling";
import { useVolumeWindow } from "../hooks/useVolumeWindow";
import { serverSort } from "../utils/volume-window";
import { useUrlTableState } from "../../../components/data-table";
import { ProvisioningBlockedPanel } from "./ProvisioningBlockedPanel";
import { ReadOnlyNote } from "./ReadOnlyNote";
import { StorageSummaryCards } from "./StorageSummaryCards";
import {
  VOLUME_SORTABLE,
  VOLUME_TABLE_PREFIX,
  VolumesTable,
  type VolumeAlert,
  type VolumeRow,
  type VolumesTable_CapacityAlertFragment,
} from "./VolumesTable";

const CreateVolumeDialog = lazy(() => import("./CreateVolumeDialog").then((m) => ({ default: m.CreateVolumeDialog })));
const ExpandVolumeDialog = lazy(() => import("./ExpandVolumeDialog").then((m) => ({ default: m.ExpandVolumeDialog })));
const VolumeUsageDialog = lazy(() => import("./VolumeUsageDialog").then((m) => ({ default: m.VolumeUsageDialog })));
const DeleteVolumeDialog = lazy(() => import("./DeleteVolumeDialog").then((m) => ({ default: m.DeleteVolumeDialog })));
const QuotaDialogWithStorageClasses = lazy(() =>
  import("./QuotaDialogWithStorageClasses").then((m) => ({ default: m.QuotaDialogWithStorageClasses })),
);

export const StorageSection_WorkspaceFragment = graphql(`
  fragment StorageSection_WorkspaceFragment on Workspace {
    id
    name
    viewerRole
    canManageStorage
    provisioningBlockedReason
    plan {
      id
      name
      pricePerGiBMonth
      currency
    }
    storageSummary {
      availableGiB
      planLimitGiB
    }
    ...StorageSummaryCards_WorkspaceFragment
    ...NamespaceQuotasPanel_WorkspaceFragment
  }
`);

type StorageWorkspace = ResultOf<typeof StorageSection_WorkspaceFragment>;

/** Rows on screen that changed less than this long ago mean the list is still scrolling. */
const SCROLL_SETTLE_MS = 1000;

type OpenDialog =
  | { kind: "create" }
  | { kind: "expand"; volume: VolumeRow }
  | { kind: "delete"; volume: VolumeRow }
  | { kind: "usage"; volume: VolumeRow; alert: VolumeAlert | undefined }
  | { kind: "quota"; quota: NamespaceQuotaData }
  | null;

const NO_ALERTS: readonly FragmentType<typeof VolumesTable_CapacityAlertFragment>[] = [];

/**
 * The Storage section. The volume table does not wait for the workspace's own query (its summary, quotas and plan
 * come from the platform and take longer than a page of rows): it shows its rows as they arrive, read-only until
 * the workspace says what the viewer may do; the rest of the section fills in when the workspace arrives.
 */
export function StorageSection({
  workspaceId,
  workspace,
  alerts = NO_ALERTS,
}: {
  workspaceId: string;
  /** Null while the page's query is on its way. */
  workspace: FragmentType<typeof StorageSection_WorkspaceFragment> | null;
  /** The workspace's capacity alerts (a root field, read by the page with the workspace). */
  alerts?: readonly FragmentType<typeof VolumesTable_CapacityAlertFragment>[];
}) {
  const ws = useFragment(StorageSection_WorkspaceFragment, workspace);
  const [dialog, setDialog] = useState<OpenDialog>(null);
  // Live events that add or remove a volume tell the table's window to re-read its pages.
  const listChanges = useMemo(() => new EventTarget(), []);
  const { error: liveError } = useStorageVolumeChanges(workspaceId, listChanges);
  const { sorting, globalFilter } = useUrlTableState({ prefix: VOLUME_TABLE_PREFIX, sortableIds: VOLUME_SORTABLE });
  const sort = serverSort(sorting);
  const volumeWindow = useVolumeWindow(workspaceId, sort, globalFilter.trim(), listChanges);
  // The rows the table has on screen: the usage poll re-reads just those, and waits while they keep
  // changing (the list is being scrolled: those rows are on their way out, and the re-read would
  // cost frames mid-scroll).
  const rowsOnScreen = useRef<{ ids: readonly string[]; at: number }>({ ids: [], at: 0 });
  const onRowsOnScreen = useCallback((ids: readonly string[]) => {
    rowsOnScreen.current = { ids, at: performance.now() };
  }, []);
  const refreshUsage = useVolumeUsagePolling(
    workspaceId,
    useCallback(() => ({ ids: rowsOnScreen.current.ids, moving: performance.now() - rowsOnScreen.current.at < SCROLL_SETTLE_MS }), []),
  );
  const { error: alertsLiveError } = useCapacityAlertChanges(workspaceId, refreshUsage);
  const canManage = ws?.canManageStorage ?? false;
  const blocked = ws?.provisioningBlockedReason ?? null;
  const close = useCallback(() => setDialog(null), []);
  const onExpand = useCallback((volume: VolumeRow) => setDialog({ kind: "expand", volume }), []);
  const onDelete = useCallback((volume: VolumeRow) => setDialog({ kind: "delete", volume }), []);
  const onUsage = useCallback((volume: VolumeRow, alert: VolumeAlert | undefined) => setDialog({ kind: "usage", volume, alert }), []);
  const onEditQuota = useCallback((quota: NamespaceQuotaData) => setDialog({ kind: "quota", quota }), []);

  const canCreate = canManage && !blocked;

  return (
    <div className="storage-section">
      <div className="page-header">
        <div>
          <h1>Storage</h1>
          <p className="muted">
            {ws ? (
              <>
                Persistent block volumes for <strong>{ws.name}</strong>&apos;s Kubernetes cluster, provisioned from Proxmox.
              </>
            ) : (
              "Persistent block volumes for the workspace's Kubernetes cluster, provisioned from Proxmox."
            )}
          </p>
        </div>
      </div>

      {ws && ws.viewerRole !== "ADMIN" && <ReadOnlyNote />}
      {ws && blocked && <ProvisioningBlockedPanel reason={blocked} planName={ws.plan.name} />}

      {ws ? <StorageSummaryCards workspace={ws} /> : <div className="summary-cards summary-cards-loading" aria-busy="true" />}

      <section className="card panel" aria-labelledby="volumes-title">
        <div className="panel-header">
          <h2 id="volumes-title">Volumes</h2>
          {volumeWindow.error && (
            <span className="small text-warn" role="alert">
              Could not load the volumes: {volumeWindow.error.message}
            </span>
          )}
          {(liveError ?? alertsLiveError) && (
            <span className="small text-warn" role="status">
              Live updates paused; reload to see the latest status.
            </span>
          )}
        </div>
        <VolumesTable
          volumes={volumeWindow.rows}
          positions={volumeWindow.positions}
          total={volumeWindow.total}
          busy={volumeWindow.busy}
          onRangeChange={volumeWindow.onRangeChange}
          alerts={alerts}
          canManage={canManage}
          onUsage={onUsage}
          onExpand={onExpand}
          onDelete={onDelete}
          onRowsOnScreenChange={onRowsOnScreen}
          toolbar={
            canCreate ? (
              <button type="button" className="btn btn-primary" onClick={() => setDialog({ kind: "create" })}>
                New volume
              </button>
            ) : null
          }
        />
      </section>

      {ws && <NamespaceQuotasPanel workspace={ws} canManage={canManage} onEdit={onEditQuota} />}

      {ws?.viewerRole === "ADMIN" && <RepositoryKeyPanel workspaceId={ws.id} />}
      {ws?.viewerRole === "ADMIN" && <ForecastDaysPanel workspaceId={ws.id} />}

      {ws && <StorageDialogs dialog={dialog} ws={ws} onClose={close} />}
    </div>
  );
}

function StorageDialogs({ dialog, ws, onClose: close }: { dialog: OpenDialog; ws: StorageWorkspace; onClose: () => void }) {
  return (
    <Suspense fallback={null}>
      {dialog?.kind === "create" && (
        <CreateVolumeDialog
          workspaceId={ws.id}
          pricePerGiBMonth={ws.plan.pricePerGiBMonth}
          currency={ws.plan.currency}
          availableGiB={ws.storageSummary.availableGiB}
          planLimitGiB={ws.storageSummary.planLimitGiB}
          onClose={close}
        />
      )}
      {dialog?.kind === "expand" && (
        <ExpandVolumeDialog
          workspaceId={ws.id}
          volume={dialog.volume}
          pricePerGiBMonth={ws.plan.pricePerGiBMonth}
          availableGiB={ws.storageSummary.availableGiB}
          planLimitGiB={ws.storageSummary.planLimitGiB}
          onClose={close}
        />
      )}
      {dialog?.kind === "usage" && (
        <VolumeUsageDialog
          workspaceId={ws.id}
          volume={dialog.volume}
          thresholdPercent={dialog.alert?.thresholdPercent}
          canManage={ws.viewerRole === "ADMIN"}
          onClose={close}
        />
      )}
      {dialog?.kind === "delete" && <DeleteVolumeDialog workspaceId={ws.id} volume={dialog.volume} onClose={close} />}
      {dialog?.kind === "quota" && <QuotaDialogWithStorageClasses workspaceId={ws.id} quota={dialog.quota} onClose={close} />}
    </Suspense>
  );
}
