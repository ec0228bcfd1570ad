import { useSubscription } from "@apollo/client/react";
import { StorageVolumeChangedSubscription } from "../graphql/volume-subscription";
import { upsertVolumeInWorkspaceLists } from "../utils/volume-cache";
import { useStorageSummaryRefresh } from "./useStorageSummaryRefresh";

/**
 * Live volume updates: the subscription result is normalized into the cache (status changes
 * show at once); new volumes are added to the workspace's list; the summary is re-read.
 */
export function useStorageVolumeChanges(workspaceId: string) {
  const refreshSummary = useStorageSummaryRefresh(workspaceId);
  const { error } = useSubscription(StorageVolumeChangedSubscription, {
    variables: { workspaceId },
    ignoreResults: true,
    onData: ({ client, data }) => {
      const volume = data.data?.storageVolumeChanged;
      if (!volume) return;
      upsertVolumeInWorkspaceLists(client.cache, volume);
      refreshSummary();
    },
  });
  return { live: !error, error };
}
