import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { formatBytes } from "../utils/bytes";
import { formatDateTime } from "../utils/time";

export const RepositoryFigures_BackupFragment = graphql(`
  fragment RepositoryFigures_BackupFragment on Backup {
    id
    format
    timeZone
    repository {
      storedBytes
      logicalBytes
      dedupRatio
      snapshotCount
      measuredAt
    }
    check {
      description
      nextRunAt
    }
  }
`);

/** How long the snapshots an overwrite restore takes first are kept (the functions' HKS_SAFETY_KEEP_* defaults). */
export const SAFETY_RULE =
  "An overwrite restore first saves what it replaces; the last 3 of these and any younger than 7 days are kept, apart from the retention above.";

/** "12.1 GiB of snapshots stored in 1.4 GiB, 8.6x": what restic's deduplication and compression save, and the scheduled check. */
export function repositorySentence(r: {
  storedBytes: number;
  logicalBytes: number;
  dedupRatio?: number | null;
  snapshotCount: number;
}): string {
  const ratio = r.dedupRatio != null ? `, ${r.dedupRatio.toFixed(1)}x` : "";
  const count = `${r.snapshotCount} ${r.snapshotCount === 1 ? "snapshot" : "snapshots"}`;
  return `${formatBytes(r.logicalBytes)} of snapshots stored in ${formatBytes(r.storedBytes)}${ratio} (${count} kept)`;
}

export function RepositoryFigures(props: { backup: FragmentType<typeof RepositoryFigures_BackupFragment> }) {
  const b = useFragment(RepositoryFigures_BackupFragment, props.backup);
  if (b.format !== "RESTIC") return null;
  return (
    <dl className="repository-figures" data-testid="repository-figures" aria-label="Repository">
      <div>
        <dt>Repository</dt>
        <dd>
          {b.repository ? (
            <span title={`Measured by restic after the run of ${formatDateTime(b.repository.measuredAt, b.timeZone)}`}>
              {repositorySentence(b.repository)}
            </span>
          ) : (
            <span className="muted">Figures appear after the first run.</span>
          )}
        </dd>
      </div>
      <div>
        <dt>Check</dt>
        <dd>
          {b.check ? (
            <>
              {b.check.description}
              {b.check.nextRunAt && (
                <span className="muted">
                  {" "}
                  · next <time dateTime={b.check.nextRunAt}>{formatDateTime(b.check.nextRunAt, b.timeZone)}</time>
                </span>
              )}
            </>
          ) : (
            <span className="muted">No scheduled check (set one in Edit).</span>
          )}
        </dd>
      </div>
      <div>
        <dt>Safety snapshots</dt>
        <dd className="muted">{SAFETY_RULE}</dd>
      </div>
    </dl>
  );
}
