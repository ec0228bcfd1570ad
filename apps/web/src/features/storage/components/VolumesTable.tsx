import { useCallback, useMemo } from "react";
import type { ReactNode } from "react";
import type { ResultOf } from "@graphql-typed-document-node/core";
import { useTable } from "@tanstack/react-table";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import {
  createDataTableColumnHelper,
  DataTable,
  dataTableFeatures,
  DataTableToolbar,
  useUrlTableState,
} from "../../../components/data-table";
import { VOLUME_SORTABLE, VOLUME_TABLE_PREFIX } from "../utils/volume-window";
import { useNow } from "../../backups/hooks/useNow";
import { formatGiB } from "../utils/size";
import { formatMoney } from "../utils/money";
import { formatEstimatedFull } from "../utils/usage";
import { formatDateTime } from "../../backups/utils/time";
import { VolumeStatusBadge } from "./VolumeStatusBadge";
import { VolumeRowActions } from "./VolumeRowActions";
import { VolumeUsageCell } from "./VolumeUsageCell";

export const VolumesTable_StorageVolumeFragment = graphql(`
  fragment VolumesTable_StorageVolumeFragment on StorageVolume {
    id
    name
    sizeGiB
    requestedSizeGiB
    status
    failureReason
    storageClassName
    persistentVolumeName
    node
    storage
    monthlyCost
    currency
    usage {
      usedBytes
      capacityBytes
      percent
      sampledAt
      estimatedFullAt
    }
  }
`);

/** The open capacity alerts, one badge per volume. */
export const VolumesTable_CapacityAlertFragment = graphql(`
  fragment VolumesTable_CapacityAlertFragment on CapacityAlert {
    id
    volumeId
    state
    level
    thresholdPercent
  }
`);

export type VolumeRow = ResultOf<typeof VolumesTable_StorageVolumeFragment>;
export type VolumeAlert = ResultOf<typeof VolumesTable_CapacityAlertFragment>;

const helper = createDataTableColumnHelper<VolumeRow>();
// The columns the server can sort by (volume-window.ts maps each to its order); the filter is searched by the server.
export { VOLUME_SORTABLE, VOLUME_TABLE_PREFIX };
const VOLUME_CARD = { badges: ["status"] };

export interface VolumesTableProps {
  /**
   * The loaded rows of the list in the server's order (useVolumeWindow: the pages in view); the URL's sort and
   * filter say which order that is.
   */
  volumes: readonly FragmentType<typeof VolumesTable_StorageVolumeFragment>[];
  /** Where each of `volumes` sits in the list (their own order when left out); other places show loading rows. */
  positions?: readonly number[];
  /** How many volumes match the filter (null until the first page arrives). */
  total: number | null;
  /** The rows shown are of the previous sort or filter; the new ones are on their way. */
  busy?: boolean;
  /** Told the first and last index of the rows in the DOM: their pages are fetched. */
  onRangeChange?: (first: number, last: number) => void;
  /** The workspace's capacity alerts; the open ones show as a badge on their volume. */
  alerts: readonly FragmentType<typeof VolumesTable_CapacityAlertFragment>[];
  canManage: boolean;
  /** Opens a volume's usage chart (everyone may). */
  onUsage: (volume: VolumeRow, alert: VolumeAlert | undefined) => void;
  onExpand: (volume: VolumeRow) => void;
  onDelete: (volume: VolumeRow) => void;
  /** Told the ids of the volumes whose rows are in the DOM, whenever they change (e.g. after a scroll). */
  onRowsOnScreenChange?: (ids: readonly string[]) => void;
  toolbar?: ReactNode;
}

export function VolumesTable({
  volumes,
  positions,
  total,
  busy = false,
  onRangeChange,
  alerts,
  canManage,
  onUsage,
  onExpand,
  onDelete,
  onRowsOnScreenChange,
  toolbar = null,
}: VolumesTableProps) {
  // Fragment data as the cache hands it over (unmasking is a type cast); positions not loaded are drawn as loading rows.
  const data = volumes as readonly VolumeRow[];
  const alertList = useFragment(VolumesTable_CapacityAlertFragment, alerts);
  const alertByVolume = useMemo(() => new Map(alertList.filter((a) => a.state === "OPEN").map((a) => [a.volumeId, a])), [alertList]);
  const now = useNow();

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("name", {
          header: "Name",
          sortFn: "alphanumeric",
          cell: (info) => <span className="mono strong">{info.getValue()}</span>,
        }),
        helper.accessor("sizeGiB", {
          header: "Size",
          sortFn: "basic",
          cell: (info) => {
            const v = info.row.original;
            return (
              <span className="nowrap" data-testid="volume-size">
                {formatGiB(v.sizeGiB)}
                {v.status === "EXPANDING" && v.requestedSizeGiB != null && (
                  <span className="muted"> → {formatGiB(v.requestedSizeGiB)}</span>
                )}
              </span>
            );
          },
        }),
        helper.accessor("status", {
          header: "Status",
          sortFn: "text",
          cell: (info) => <VolumeStatusBadge status={info.getValue()} failureReason={info.row.original.failureReason} />,
        }),
        helper.accessor((v) => v.usage?.percent ?? -1, {
          id: "usage",
          header: "Usage",
          sortFn: "basic",
          cell: (info) => {
            const v = info.row.original;
            const alert = alertByVolume.get(v.id);
            return <VolumeUsageCell name={v.name} usage={v.usage} alert={alert} onOpenChart={() => onUsage(v, alert)} />;
          },
        }),
        helper.accessor((v) => (v.usage?.estimatedFullAt ? Date.parse(v.usage.estimatedFullAt) : Infinity), {
          id: "estimatedFullAt",
          header: "Est. full",
          sortFn: "basic",
          cell: (info) => {
            const at = info.row.original.usage?.estimatedFullAt;
            return (
              <span className="nowrap" data-testid="volume-estimated-full" title={at ? formatDateTime(at) : undefined}>
                {formatEstimatedFull(at, now)}
              </span>
            );
          },
        }),
        helper.accessor((v) => v.storageClassName ?? "", {
          id: "storageClassName",
          header: "StorageClass",
          sortFn: "alphanumeric",
          cell: (info) => <span className="mono">{info.getValue() || "—"}</span>,
        }),
        helper.accessor((v) => v.persistentVolumeName ?? "", {
          id: "persistentVolumeName",
          header: "PV",
          sortFn: "alphanumeric",
          cell: (info) => <span className="mono">{info.getValue() || "—"}</span>,
        }),
        helper.accessor((v) => [v.node, v.storage].filter(Boolean).join(" / "), {
          id: "location",
          header: "Node / storage",
          sortFn: "alphanumeric",
          cell: (info) => <span className="mono">{info.getValue() || "—"}</span>,
        }),
        helper.accessor("monthlyCost", {
          header: "Monthly cost",
          // Not an order of the server's (a volume not yet billed costs nothing, whatever its size).
          enableSorting: false,
          cell: (info) => <span className="nowrap num">{formatMoney(info.getValue(), info.row.original.currency)}</span>,
        }),
        helper.display({
          id: "actions",
          header: () => <span className="visually-hidden">Actions</span>,
          cell: (info) => (
            <VolumeRowActions
              name={info.row.original.name}
              status={info.row.original.status}
              canManage={canManage}
              onUsage={() => onUsage(info.row.original, alertByVolume.get(info.row.original.id))}
              onExpand={() => onExpand(info.row.original)}
              onDelete={() => onDelete(info.row.original)}
            />
          ),
        }),
      ]),
    [canManage, onUsage, onExpand, onDelete, alertByVolume, now],
  );

  const { sorting, onSortingChange, globalFilter, onGlobalFilterChange } = useUrlTableState({
    prefix: VOLUME_TABLE_PREFIX,
    sortableIds: VOLUME_SORTABLE,
  });
  // Sorted and filtered by the server: the table shows the rows in the order they come, one sort key at a time.
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId: (row) => row.id,
    state: { sorting, globalFilter },
    onSortingChange,
    onGlobalFilterChange,
    manualSorting: true,
    manualFiltering: true,
    enableMultiSort: false,
  });

  const onRenderedRowsChange = useCallback(
    (rows: readonly VolumeRow[]) => onRowsOnScreenChange?.(rows.map((v) => v.id)),
    [onRowsOnScreenChange],
  );

  return (
    <div className="volumes-table">
      <DataTableToolbar
        filterLabel="Filter volumes"
        filterPlaceholder="Filter by name, status, StorageClass, PV, node…"
        filter={globalFilter}
        onFilterChange={onGlobalFilterChange}
        count={total ?? 0}
        noun={{ one: "volume", other: "volumes" }}
        actions={toolbar}
      />
      <DataTable
        table={table}
        label="Storage volumes"
        rowTestId="volume-row"
        estimatedRowHeight={51}
        cardLayout={VOLUME_CARD}
        onRenderedRowsChange={onRenderedRowsChange}
        onRenderedRangeChange={onRangeChange}
        rowCount={total ?? 0}
        rowPositions={positions}
        busy={busy}
        empty={
          total === null ? (
            <span className="muted">Loading volumes…</span>
          ) : globalFilter ? (
            <span className="muted">No volumes match “{globalFilter}”.</span>
          ) : (
            <span className="muted">No volumes yet.</span>
          )
        }
        noMatches={<span className="muted">No volumes match “{globalFilter}”.</span>}
      />
    </div>
  );
}
