import { useMemo } from "react";
import { useTable } from "@tanstack/react-table";
import type { ResultOf } from "@graphql-typed-document-node/core";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import {
  createDataTableColumnHelper,
  DataTable,
  dataTableFeatures,
  TableFilterInput,
  useUrlTableState,
} from "../../../components/data-table";
import { formatGiB } from "../utils/size";
import { formatMoney } from "../utils/money";
import { VolumeStatusBadge } from "./VolumeStatusBadge";
import { VolumeRowActions } from "./VolumeRowActions";

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
    proxmoxVolumeId
    node
    storage
    monthlyCost
    currency
    createdAt
    updatedAt
  }
`);

export type VolumeRow = ResultOf<typeof VolumesTable_StorageVolumeFragment>;

const helper = createDataTableColumnHelper<VolumeRow>();
const SORTABLE = ["name", "sizeGiB", "status", "storageClassName", "persistentVolumeName", "location", "monthlyCost"];
const FILTERABLE = new Set(["name", "status", "storageClassName", "persistentVolumeName", "location"]);

export interface VolumesTableProps {
  volumes: readonly FragmentType<typeof VolumesTable_StorageVolumeFragment>[];
  canManage: boolean;
  onExpand: (volume: VolumeRow) => void;
  onDelete: (volume: VolumeRow) => void;
  toolbar?: React.ReactNode;
}

export function VolumesTable({ volumes, canManage, onExpand, onDelete, toolbar }: VolumesTableProps) {
  const all = useFragment(VolumesTable_StorageVolumeFragment, volumes);
  const data = useMemo(() => all.filter((v) => v.status !== "DELETED"), [all]);
  const urlState = useUrlTableState({ prefix: "v", sortableIds: SORTABLE });

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
              <span className="nowrap">
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
          cell: (info) => (
            <VolumeStatusBadge status={info.getValue()} failureReason={info.row.original.failureReason} />
          ),
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
          sortFn: "basic",
          cell: (info) => <span className="nowrap num">{formatMoney(info.getValue(), info.row.original.currency)}</span>,
        }),
        ...(canManage
          ? [
              helper.display({
                id: "actions",
                header: () => <span className="visually-hidden">Actions</span>,
                cell: (info) => (
                  <VolumeRowActions
                    name={info.row.original.name}
                    status={info.row.original.status}
                    onExpand={() => onExpand(info.row.original)}
                    onDelete={() => onDelete(info.row.original)}
                  />
                ),
              }),
            ]
          : []),
      ]),
    [canManage, onExpand, onDelete],
  );

  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId: (row) => row.id,
    state: { sorting: urlState.sorting, globalFilter: urlState.globalFilter },
    onSortingChange: urlState.onSortingChange,
    onGlobalFilterChange: urlState.onGlobalFilterChange,
    globalFilterFn: "includesString",
    getColumnCanGlobalFilter: (column) => FILTERABLE.has(column.id),
  });

  return (
    <div className="volumes-table">
      <div className="table-toolbar">
        <TableFilterInput
          label="Filter volumes"
          placeholder="Filter by name, status, StorageClass, PV, node…"
          value={urlState.globalFilter}
          onChange={urlState.onGlobalFilterChange}
        />
        <span className="muted table-count" aria-live="polite">
          {data.length === 1 ? "1 volume" : `${data.length} volumes`}
        </span>
        <div className="header-spacer" />
        {toolbar}
      </div>
      <DataTable
        table={table}
        label="Storage volumes"
        rowTestId="volume-row"
        empty={<span className="muted">No volumes yet.</span>}
        noMatches={<span className="muted">No volumes match “{urlState.globalFilter}”.</span>}
      />
    </div>
  );
}
