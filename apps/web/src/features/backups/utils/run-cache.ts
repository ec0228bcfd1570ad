import type { ApolloCache, Reference } from "@apollo/client";

interface RunPageInCache {
  nodes: readonly Reference[];
  totalCount: number;
  nextBefore?: string | null;
}

/**
 * Puts a backup or restore run (already normalized in the cache) at the top of its backup's cached
 * runs list when it is new there, and makes it the backup's lastRun when it is a newer backup run.
 */
export function upsertRunInBackup(
  cache: ApolloCache,
  run: { id: string; backupId: string; kind: string; scheduledAt?: string | null },
): void {
  const backupCacheId = cache.identify({ __typename: "Backup", id: run.backupId });
  const runCacheId = cache.identify({ __typename: "BackupRun", id: run.id });
  if (!backupCacheId || !runCacheId) return;
  cache.modify<Record<string, unknown>>({
    id: backupCacheId,
    fields: {
      runs(existing, { readField, toReference }) {
        // A verification is shown on the run it checked, never as a row of its own.
        if (run.kind === "VERIFY") return existing;
        const page = existing as RunPageInCache | undefined;
        if (!page || !Array.isArray(page.nodes)) return existing;
        const nodes: readonly Reference[] = page.nodes;
        if (nodes.some((ref) => readField("id", ref) === run.id)) return existing;
        const ref = toReference(runCacheId);
        if (!ref) return existing;
        return { ...page, nodes: [ref, ...nodes], totalCount: page.totalCount + 1 };
      },
      lastRun(existing, { readField, toReference }) {
        if (run.kind !== "BACKUP") return existing;
        const current = existing as Reference | null | undefined;
        if (current && readField("id", current) === run.id) return existing;
        const currentAt = current ? (readField<string | null>("scheduledAt", current) ?? null) : null;
        if (currentAt && run.scheduledAt && Date.parse(run.scheduledAt) < Date.parse(currentAt)) return existing;
        return toReference(runCacheId) ?? existing;
      },
    },
  });
}

/** Takes a deleted backup out of its application's list. */
export function removeBackupFromApplication(cache: ApolloCache, backup: { id: string; applicationId: string }): void {
  const appId = cache.identify({ __typename: "Application", id: backup.applicationId });
  if (!appId) return;
  cache.modify<Record<string, unknown>>({
    id: appId,
    fields: {
      backupPage(existing, { readField }) {
        const page = existing as { nodes: readonly Reference[]; totalCount: number } | undefined;
        if (!page) return existing;
        const nodes = page.nodes.filter((ref) => readField("id", ref) !== backup.id);
        return { ...page, nodes, totalCount: page.totalCount - (page.nodes.length - nodes.length) };
      },
    },
  });
}

/** Adds a created backup (normalized in the cache) to its application's list. */
export function addBackupToApplication(cache: ApolloCache, backup: { id: string; applicationId: string }): void {
  const appId = cache.identify({ __typename: "Application", id: backup.applicationId });
  const backupId = cache.identify({ __typename: "Backup", id: backup.id });
  if (!appId || !backupId) return;
  cache.modify<Record<string, unknown>>({
    id: appId,
    fields: {
      backupPage(existing, { readField, toReference }) {
        const page = existing as { nodes: readonly Reference[]; totalCount: number } | undefined;
        const ref = toReference(backupId);
        if (!page || !ref || page.nodes.some((r) => readField("id", r) === backup.id)) return existing;
        return { ...page, nodes: [...page.nodes, ref], totalCount: page.totalCount + 1 };
      },
    },
  });
}
