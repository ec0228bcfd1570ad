import { useEffect, useRef } from "react";
import { useApolloClient, useSubscription } from "@apollo/client/react";
import type { ResultOf } from "@graphql-typed-document-node/core";
import { StorageVolumeChangedSubscription } from "../graphql/volume-subscription";
import { upsertVolumeInWorkspaceLists } from "../utils/volume-cache";
import { useStorageSummaryRefresh } from "./useStorageSummaryRefresh";

type ChangedVolume = ResultOf<typeof StorageVolumeChangedSubscription>["storageVolumeChanged"];

/** Events arriving within this many ms are written to the cache together. */
const BATCH_MS = 50;

/**
 * Live volume updates: each change is normalized into the cache (status changes show at once), new
 * volumes are added to the workspace's list and the summary is re-read.
 *
 * Every cache write makes the page re-read its volume list, which costs time in proportion to the
 * list (tens of ms per thousand volumes). So the events of a burst (a bulk change, a reconnect) are
 * written in one batch: one re-read for the burst instead of one per event.
 */
export function useStorageVolumeChanges(workspaceId: string) {
  const client = useApolloClient();
  const refreshSummary = useStorageSummaryRefresh(workspaceId);
  const pending = useRef<ChangedVolume[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const { error } = useSubscription(StorageVolumeChangedSubscription, {
    variables: { workspaceId },
    // Written below, in batches.
    fetchPolicy: "no-cache",
    onData: ({ data }) => {
      const volume = data.data?.storageVolumeChanged;
      if (!volume) return;
      pending.current.push(volume);
      timer.current ??= setTimeout(() => {
        timer.current = null;
        const volumes = pending.current;
        pending.current = [];
        client.cache.batch({
          update(cache) {
            for (const v of volumes) {
              cache.write({
                query: StorageVolumeChangedSubscription,
                dataId: "ROOT_SUBSCRIPTION",
                variables: { workspaceId },
                // Normalized by its type and id (the result of a no-cache subscription may lack the type).
                result: { storageVolumeChanged: { __typename: "StorageVolume", ...v } as ChangedVolume },
              });
              upsertVolumeInWorkspaceLists(cache, v);
            }
          },
        });
        refreshSummary();
      }, BATCH_MS);
    },
  });
  return { live: !error, error };
}
