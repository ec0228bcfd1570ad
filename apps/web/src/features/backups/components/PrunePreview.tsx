import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { formatDateTime } from "../utils/time";

export const PrunePreview_BackupFragment = graphql(`
  fragment PrunePreview_BackupFragment on Backup {
    id
    prunePreview {
      id
      snapshot
      finishedAt
    }
  }
`);

/** What retention removes after the next successful run. */
export function PrunePreview({ backup }: { backup: FragmentType<typeof PrunePreview_BackupFragment> }) {
  const { prunePreview } = useFragment(PrunePreview_BackupFragment, backup);
  return (
    <div className="prune-preview" data-testid="prune-preview" aria-live="polite">
      <strong>The next prune will remove:</strong>{" "}
      {prunePreview.length === 0 ? (
        <span className="muted">nothing</span>
      ) : (
        <ul className="inline-list">
          {prunePreview.map((r) => (
            <li key={r.id}>
              <span className="mono" title={r.finishedAt ? `Written ${formatDateTime(r.finishedAt)}` : undefined}>
                {r.snapshot ?? r.id}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
