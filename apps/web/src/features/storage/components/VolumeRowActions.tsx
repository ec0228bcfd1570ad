import type { StorageVolumeStatus } from "../../../gql/graphql";
import { actionBlockedReason } from "../utils/volume-status";

export function VolumeRowActions({
  name,
  status,
  canManage,
  onUsage,
  onExpand,
  onDelete,
}: {
  name: string;
  status: StorageVolumeStatus;
  /** Expand and Delete are for those who may manage storage; everyone sees the usage. */
  canManage: boolean;
  onUsage: () => void;
  onExpand: () => void;
  onDelete: () => void;
}) {
  const blocked = actionBlockedReason(status);
  // FAILED volumes can be deleted (clean-up) but not expanded.
  const expandBlocked = blocked ?? (status === "FAILED" ? "A failed volume cannot be expanded; delete it instead." : null);
  return (
    <div className="row-actions">
      <button
        type="button"
        className="btn btn-small"
        aria-label={`Usage of ${name}`}
        title={`Usage of ${name} over time`}
        onClick={onUsage}
      >
        Usage
      </button>
      {canManage && (
        <>
          <span title={expandBlocked ?? undefined} className="tooltip-wrap">
            <button
              type="button"
              className="btn btn-small"
              aria-label={`Expand ${name}`}
              title={expandBlocked ?? `Expand ${name}`}
              // aria-disabled, not disabled: a button that turns unavailable (the volume starts expanding) keeps focus.
              aria-disabled={expandBlocked !== null || undefined}
              onClick={expandBlocked === null ? onExpand : undefined}
            >
              Expand
            </button>
          </span>
          <span title={blocked ?? undefined} className="tooltip-wrap">
            <button
              type="button"
              className="btn btn-small btn-danger-ghost"
              aria-label={`Delete ${name}`}
              title={blocked ?? `Delete ${name}`}
              aria-disabled={blocked !== null || undefined}
              onClick={blocked === null ? onDelete : undefined}
            >
              Delete
            </button>
          </span>
        </>
      )}
    </div>
  );
}
