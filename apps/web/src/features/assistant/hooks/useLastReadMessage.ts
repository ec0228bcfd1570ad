import { useCallback, useSyncExternalStore } from "react";
import { lastReadStore } from "../utils/last-read-store";

/** The last message of the workspace's conversation read in the open panel, and how to move it. */
export function useLastReadMessage(workspaceId: string) {
  const lastReadId = useSyncExternalStore(
    lastReadStore.subscribe,
    () => lastReadStore.get(workspaceId),
    () => null,
  );
  const markRead = useCallback(
    (messageId: string | null) => {
      if (messageId) lastReadStore.set(workspaceId, messageId);
    },
    [workspaceId],
  );
  return [lastReadId, markRead] as const;
}
