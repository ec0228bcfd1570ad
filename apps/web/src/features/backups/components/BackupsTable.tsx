import { useMemo } from "react";
import type { ReactNode } from "react";
import type { ResultOf } from "@graphql-typed-document-node/core";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { createDataTableColumnHelper, DataTable, DataTableToolbar, useUrlDataTable } from "../../../components/data-table";
import { useNow } from "../hooks/useNow";
import { formatBytes } from "../utils/bytes";
import { formatDestination } from "../utils/destination-path";
import { formatDateTime, formatPast, formatRelative } from "../utils/time";
import { FUNCTION_SHORT_LABEL } from "../utils/backup-form";
import { BackupRowActions } from "./BackupRowActions";
import { RunStatusBadge } from "./RunStatusBadge";

export const BackupsTable_BackupFragment = graphql(`
  fragment BackupsTable_BackupFragment on Backup {
    id
    applicationId
    name
    schedule
    timeZone
    scheduleDescription
    nextRunAt
    suspended
    reconcileError
    cronJobName
    source {
      pvcName
    }
    function {
      kind
    }
    destination {
      volumeId
      path
      volume {
        id
        name
      }
    }
    lastRun {
      id
      status
      failureReason
      message
      bytesWritten
      scheduledAt
      startedAt
      finishedAt
    }
  }
`);

export type BackupRow = ResultOf<typeof BackupsTable_BackupFragment>;

const helper = createDataTableColumnHelper<BackupRow>();
const SORTABLE = ["name", "nextRunAt", "lastRun", "lastSize", "destination", "state"];
const FILTERABLE = new Set(["name", "schedule", "destination", "state"]);
const BACKUP_CARD = { badges: ["state"] };

export interface BackupsTableProps {
  backups: readonly FragmentType<typeof BackupsTable_BackupFragment>[];
  selectedId: string | null;
  onSelect: (backup: BackupRow) => void;
  canManage: boolean;
  /** Backup ids with a row action in flight. */
  busyIds: ReadonlySet<string>;
  onRunNow: (backup: BackupRow) => void;
  onToggleSuspend: (backup: BackupRow) => void;
  onEdit: (backup: BackupRow) => void;
  onDelete: (backup: BackupRow) => void;
  toolbar?: ReactNode;
}

export function BackupsTable({
  backups,
  selectedId,
  onSelect,
  canManage,
  busyIds,
  onRunNow,
  onToggleSuspend,
  onEdit,
  onDelete,
  toolbar = null,
}: BackupsTableProps) {
  const data = useFragment(BackupsTable_BackupFragment, backups);
  const now = useNow();

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("name", {
          header: "Name",
          sortFn: "alphanumeric",
          cell: (info) => {
            const b = info.row.original;
            return (
              <span className="status-cell">
                <button
                  type="button"
                  className="link-button mono strong"
                  aria-pressed={b.id === selectedId}
                  title={`Show the runs of ${b.name}`}
                  onClick={() => onSelect(b)}
                >
                  {b.name}
                </button>
                <span className="muted small">
                  {FUNCTION_SHORT_LABEL[b.function.kind]}
                  {b.source.pvcName ? <> · {b.source.pvcName}</> : null}
                </span>
                {b.reconcileError && (
                  <span className="failure-reason" role="note">
                    Not applied to the cluster: {b.reconcileError}
                  </span>
                )}
              </span>
            );
          },
        }),
        helper.accessor((b) => `${b.scheduleDescription} ${b.schedule}`, {
          id: "schedule",
          header: "Schedule",
          enableSorting: false,
          cell: (info) => (
            <span className="status-cell">
              <span>{info.row.original.scheduleDescription}</span>
              <span className="mono muted small">{info.row.original.schedule}</span>
            </span>
          ),
        }),
        helper.accessor((b) => b.nextRunAt ?? "", {
          id: "nextRunAt",
          header: "Next run",
          sortFn: "text",
          cell: (info) => {
            const b = info.row.original;
            if (b.suspended || !b.nextRunAt) return <span className="muted">—</span>;
            return (
              <time dateTime={b.nextRunAt} title={formatDateTime(b.nextRunAt, b.timeZone)} className="nowrap">
                {formatRelative(b.nextRunAt, now)}
              </time>
            );
          },
        }),
        helper.accessor((b) => b.lastRun?.status ?? "", {
          id: "lastRun",
          header: "Last run",
          sortFn: "text",
          cell: (info) => {
            const r = info.row.original.lastRun;
            if (!r) return <span className="muted">Never run</span>;
            const at = r.finishedAt ?? r.startedAt ?? r.scheduledAt;
            return (
              <span className="status-cell">
                <RunStatusBadge status={r.status} failureReason={r.failureReason} />
                {at && (
                  <time dateTime={at} title={formatDateTime(at)} className="muted small">
                    {formatPast(at, now)}
                  </time>
                )}
              </span>
            );
          },
        }),
        helper.accessor((b) => b.lastRun?.bytesWritten ?? -1, {
          id: "lastSize",
          header: "Last size",
          sortFn: "basic",
          cell: (info) => <span className="nowrap num">{formatBytes(info.row.original.lastRun?.bytesWritten)}</span>,
        }),
        helper.accessor((b) => formatDestination(b.destination.volume?.name, b.destination.volumeId, b.destination.path), {
          id: "destination",
          header: "Destination",
          sortFn: "alphanumeric",
          cell: (info) => <span className="mono">{info.getValue()}</span>,
        }),
        helper.accessor((b) => (b.suspended ? "Suspended" : "Active"), {
          id: "state",
          header: "State",
          sortFn: "text",
          cell: (info) =>
            info.row.original.suspended ? (
              <span className="badge tone-warn" data-testid="backup-state">
                Suspended
              </span>
            ) : (
              <span className="badge tone-neutral" data-testid="backup-state">
                Active
              </span>
            ),
        }),
        ...(canManage
          ? [
              helper.display({
                id: "actions",
                header: () => <span className="visually-hidden">Actions</span>,
                cell: (info) => {
                  const b = info.row.original;
                  return (
                    <BackupRowActions
                      name={b.name}
                      suspended={b.suspended}
                      busy={busyIds.has(b.id)}
                      onRunNow={() => onRunNow(b)}
                      onToggleSuspend={() => onToggleSuspend(b)}
                      onEdit={() => onEdit(b)}
                      onDelete={() => onDelete(b)}
                    />
                  );
                },
              }),
            ]
          : []),
      ]),
    [canManage, busyIds, now, selectedId, onSelect, onRunNow, onToggleSuspend, onEdit, onDelete],
  );

  const { table, globalFilter, onGlobalFilterChange } = useUrlDataTable({
    prefix: "b",
    sortableIds: SORTABLE,
    filterableIds: FILTERABLE,
    columns,
    data,
  });

  return (
    <div className="backups-table">
      <DataTableToolbar
        filterLabel="Filter backups"
        filterPlaceholder="Filter by name, schedule, destination…"
        filter={globalFilter}
        onFilterChange={onGlobalFilterChange}
        count={data.length}
        noun={{ one: "backup", other: "backups" }}
        actions={toolbar}
      />
      <DataTable
        table={table}
        label="Backups"
        rowTestId="backup-row"
        cardLayout={BACKUP_CARD}
        onRowClick={onSelect}
        isRowSelected={(b) => b.id === selectedId}
        empty={<span className="muted">No backups yet.</span>}
        noMatches={<span className="muted">No backups match “{globalFilter}”.</span>}
      />
    </div>
  );
}
