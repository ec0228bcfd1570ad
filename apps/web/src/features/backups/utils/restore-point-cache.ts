import type { ApolloCache } from "@apollo/client";

/**
 * Makes a restore just started the lastRestore of the restore point it reads (the point's id is its run's id), so
 * the restore points panel shows it at once and follows it, also for a deleted Backup whose runs list is not shown.
 */
export function setLastRestore(cache: ApolloCache, restore: { id: string; kind: string; sourceRunId?: string | null }): void {
  if (restore.kind !== "RESTORE" || !restore.sourceRunId) return;
  const pointId = cache.identify({ __typename: "RestorePoint", id: restore.sourceRunId });
  const runId = cache.identify({ __typename: "BackupRun", id: restore.id });
  if (!pointId || !runId) return;
  cache.modify<Record<string, unknown>>({
    id: pointId,
    fields: { lastRestore: (existing, { toReference }) => toReference(runId) ?? existing },
  });
}
