import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";
import type { RepositoryFigures } from "./repository-trust.types.js";

type Details = { bytesRead?: unknown; repoBytes?: unknown };

const resticDetails = (run: BackupRunRecord): Details | undefined => {
  const result = run.result as { format?: string; details?: Details } | null;
  return result?.format === "restic" ? result.details : undefined;
};

/**
 * The repository's stored size against the logical size of the snapshots it keeps, from what restic reported on the
 * runs: the newest run's repository size (measured after its retention pruned) and, for each snapshot still kept,
 * the bytes restic read to make it (what restoring it gives back). No extra Job; null until a restic run reported.
 */
export function repositoryFigures(backup: Pick<BackupRecord, "format">, kept: BackupRunRecord[]): RepositoryFigures | null {
  if (backup.format !== "RESTIC") return null;
  const measured = kept
    .filter((r) => typeof resticDetails(r)?.repoBytes === "number")
    .sort((a, b) => (b.finishedAt ?? b.createdAt).getTime() - (a.finishedAt ?? a.createdAt).getTime());
  const newest = measured[0];
  if (!newest) return null;
  const storedBytes = resticDetails(newest)!.repoBytes as number;
  let logicalBytes = 0;
  let snapshotCount = 0;
  for (const run of kept) {
    const read = resticDetails(run)?.bytesRead;
    if (typeof read !== "number") continue;
    logicalBytes += read;
    snapshotCount++;
  }
  return {
    storedBytes,
    logicalBytes,
    snapshotCount,
    dedupRatio: storedBytes > 0 ? Math.round((logicalBytes / storedBytes) * 10) / 10 : null,
    measuredAt: newest.finishedAt ?? newest.createdAt,
  };
}
