import type { RunRow } from "./RunsTable";

const LABEL = { PENDING: "Waiting", COPYING: "Copying…", COPIED: "Copied", FAILED: "Copy failed" } as const;
const TONE = { PENDING: "tone-neutral", COPYING: "tone-busy", COPIED: "tone-ok", FAILED: "tone-warn" } as const;

/** A run's off-node copy, beside the run: a failed copy is a warning, never a red run (it is retried after the next run). */
export function RunCopyCell({ copy }: { copy: RunRow["copy"] }) {
  if (!copy) return <span className="muted">—</span>;
  return (
    <span className="status-cell" data-testid="run-copy">
      <span className={`badge ${TONE[copy.status]}`} data-status={copy.status}>
        {LABEL[copy.status]}
      </span>
      {copy.status === "FAILED" && copy.message && <span className="small text-warn">{copy.message}</span>}
    </span>
  );
}
