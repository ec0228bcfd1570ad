import { useMemo } from "react";
import { useTable } from "@tanstack/react-table";
import type { ResultOf } from "@graphql-typed-document-node/core";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { createDataTableColumnHelper, DataTable, dataTableFeatures } from "../../../components/data-table";
import { useNow } from "../hooks/useNow";
import { formatBytes, formatCount } from "../utils/bytes";
import { RUN_KIND_LABEL, RUN_TRIGGER_LABEL } from "../utils/run-status";
import { formatDateTime, formatDuration, formatPast } from "../utils/time";
import { RunCopyCell } from "./RunCopyCell";
import { RunRowActions } from "./RunRowActions";
import { PutBackButton } from "./PutBackButton";
import { RunStatusBadge } from "./RunStatusBadge";
import { VerifyStateBadge } from "./VerifyStateBadge";

export const RunsTable_BackupRunFragment = graphql(`
  fragment RunsTable_BackupRunFragment on BackupRun {
    id
    backupId
    kind
    trigger
    status
    failureReason
    message
    jobName
    scheduledAt
    startedAt
    finishedAt
    durationSeconds
    bytesWritten
    files
    restic {
      bytesRead
      bytesAdded
      filesNew
      filesChanged
      filesUnmodified
    }
    snapshot
    prunedAt
    verifyState
    verifications {
      id
      status
      message
      finishedAt
      createdAt
    }
    sourceRunId
    restoreTarget
    ...PutBack_BackupRunFragment
    restoreSource
    copy {
      status
      message
      copiedAt
    }
  }
`);

export type RunRow = ResultOf<typeof RunsTable_BackupRunFragment>;

const helper = createDataTableColumnHelper<RunRow>();
const RUN_CARD = { title: "kind", badges: ["status"] };

/** "backup run of Sun, 5 Jan 2025, 02:00 CET", for accessible names of a run's buttons. */
export function runLabel(run: RunRow): string {
  const at = run.scheduledAt ?? run.startedAt;
  return `${RUN_KIND_LABEL[run.kind].toLowerCase()} run of ${at ? formatDateTime(at) : "unknown time"}`;
}

function TimeCell({ iso, now }: { iso: string | null | undefined; now: number }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="nowrap">
      {formatPast(iso, now)}
    </time>
  );
}

export interface RunsTableProps {
  runs: readonly FragmentType<typeof RunsTable_BackupRunFragment>[];
  canManage: boolean;
  verifyingIds: ReadonlySet<string>;
  onLogs: (run: RunRow) => void;
  onRestore: (run: RunRow) => void;
  onVerify: (run: RunRow) => void;
  onBrowse?: (run: RunRow) => void;
}

/** A backup's runs, newest first as the server pages them (no client sorting). */
export function RunsTable({ runs, canManage, verifyingIds, onLogs, onRestore, onVerify, onBrowse }: RunsTableProps) {
  const data = useFragment(RunsTable_BackupRunFragment, runs);
  const now = useNow();

  const columns = useMemo(
    () =>
      helper.columns([
        helper.accessor("kind", {
          header: "Kind",
          enableSorting: false,
          cell: (info) => {
            const r = info.row.original;
            return (
              <span className="status-cell">
                <span>{RUN_KIND_LABEL[r.kind]}</span>
                <span className="muted small">{RUN_TRIGGER_LABEL[r.trigger]}</span>
                {r.restoreTarget && <span className="muted small mono">→ {r.restoreTarget}</span>}
                {r.restoreSource === "COPY" && <span className="muted small">from the off-node copy</span>}
              </span>
            );
          },
        }),
        helper.accessor("status", {
          header: "Status",
          enableSorting: false,
          cell: (info) => {
            const r = info.row.original;
            const showMessage = (r.status === "FAILED" || r.status === "MISSED" || r.status === "PARTIALLY_SUCCEEDED") && r.message;
            return (
              <span className="status-cell">
                <RunStatusBadge status={r.status} failureReason={r.failureReason} />
                {showMessage && (
                  <span className={r.status === "FAILED" ? "failure-reason" : "small text-warn"} data-testid="run-message">
                    {r.message}
                  </span>
                )}
                <PutBackButton run={r} canManage={canManage} />
              </span>
            );
          },
        }),
        helper.accessor((r) => r.startedAt ?? r.scheduledAt ?? "", {
          id: "time",
          header: "Scheduled / started",
          enableSorting: false,
          cell: (info) => {
            const r = info.row.original;
            return (
              <span className="status-cell">
                <span className="small">
                  <span className="muted">Scheduled </span>
                  <TimeCell iso={r.scheduledAt} now={now} />
                </span>
                <span className="small">
                  <span className="muted">Started </span>
                  <TimeCell iso={r.startedAt} now={now} />
                </span>
              </span>
            );
          },
        }),
        helper.accessor((r) => r.durationSeconds ?? -1, {
          id: "duration",
          header: "Duration",
          enableSorting: false,
          cell: (info) => <span className="nowrap num">{formatDuration(info.row.original.durationSeconds)}</span>,
        }),
        helper.accessor((r) => r.bytesWritten ?? -1, {
          id: "size",
          header: "Size",
          enableSorting: false,
          cell: (info) => {
            const restic = info.row.original.restic;
            if (!restic)
              return (
                <span className="nowrap num" data-testid="run-bytes">
                  {formatBytes(info.row.original.bytesWritten)}
                </span>
              );
            // What the repository grew by (after deduplication and compression) against what was read.
            return (
              <span className="nowrap num" data-testid="run-bytes">
                +{formatBytes(restic.bytesAdded)} <span className="muted">of {formatBytes(restic.bytesRead)} read</span>
              </span>
            );
          },
        }),
        helper.accessor((r) => r.files ?? -1, {
          id: "files",
          header: "Files",
          enableSorting: false,
          cell: (info) => {
            const restic = info.row.original.restic;
            if (!restic) return <span className="num">{formatCount(info.row.original.files)}</span>;
            return (
              <span className="nowrap num" data-testid="run-restic-files">
                {formatCount(restic.filesNew)} new · {formatCount(restic.filesChanged)} changed · {formatCount(restic.filesUnmodified)}{" "}
                unchanged
              </span>
            );
          },
        }),
        helper.accessor((r) => r.snapshot ?? "", {
          id: "snapshot",
          header: "Snapshot",
          enableSorting: false,
          cell: (info) => {
            const r = info.row.original;
            if (!r.snapshot) return <span className="muted">—</span>;
            return (
              <span className="status-cell">
                <span className={r.prunedAt ? "mono muted strike snapshot-name" : "mono snapshot-name"}>{r.snapshot}</span>
                {r.prunedAt && (
                  <span className="muted small" title={formatDateTime(r.prunedAt)}>
                    pruned {formatPast(r.prunedAt, now)}
                  </span>
                )}
              </span>
            );
          },
        }),
        helper.accessor("verifyState", {
          header: "Verified",
          enableSorting: false,
          cell: (info) => {
            const r = info.row.original;
            if (r.kind !== "BACKUP") return null;
            return (
              <span className="status-cell">
                <VerifyStateBadge state={info.getValue()} />
                {r.verifications.length > 0 && (
                  <details className="small" data-testid="run-verifications">
                    <summary>{r.verifications.length === 1 ? "1 check" : `${r.verifications.length} checks`}</summary>
                    <ul>
                      {r.verifications.map((v) => (
                        <li key={v.id} title={v.message ?? undefined}>
                          {v.status === "SUCCEEDED" ? "Readable" : v.status === "FAILED" ? "Failed" : "Checking"}{" "}
                          {formatPast(v.finishedAt ?? v.createdAt, now)}
                        </li>
                      ))}
                    </ul>
                  </details>
                )}
              </span>
            );
          },
        }),
        helper.display({
          id: "copy",
          header: "Off-node copy",
          cell: (info) => <RunCopyCell copy={info.row.original.copy} />,
        }),
        helper.display({
          id: "actions",
          header: () => <span className="visually-hidden">Actions</span>,
          cell: (info) => {
            const r = info.row.original;
            return (
              <RunRowActions
                run={r}
                runLabel={runLabel(r)}
                canManage={canManage}
                verifying={verifyingIds.has(r.id)}
                onLogs={() => onLogs(r)}
                onRestore={() => onRestore(r)}
                onVerify={() => onVerify(r)}
                onBrowse={onBrowse && (() => onBrowse(r))}
              />
            );
          },
        }),
      ]),
    [canManage, verifyingIds, now, onLogs, onRestore, onVerify, onBrowse],
  );

  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId: (row) => row.id,
    state: { sorting: [], globalFilter: "" },
  });

  return (
    <div className="runs-table">
      <DataTable
        table={table}
        label="Runs"
        rowTestId="run-row"
        cardLayout={RUN_CARD}
        empty={<span className="muted">No runs yet. The first one starts at the next scheduled time, or with Run now.</span>}
      />
    </div>
  );
}
