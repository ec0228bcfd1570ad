import { useCallback, useEffect } from "react";
import { useApolloClient } from "@apollo/client/react";
import { MAX_POLLED_ROWS, volumeRowsRefreshQuery, volumeRowsVariables } from "../utils/volume-rows-query";

/**
 * Re-reads the volumes on screen (usage included) every `intervalMs` while the page is visible, and
 * at once when it becomes visible again; `rowsOnScreen` says which they are at the time, or null to
 * skip this time. Only those: rows scrolled out of view cost nothing, however large the workspace.
 * Returns a function that re-reads them now.
 */
export function useVolumeUsagePolling(workspaceId: string, rowsOnScreen: () => readonly string[] | null, intervalMs = 5000) {
  const client = useApolloClient();

  const refresh = useCallback(() => {
    const ids = rowsOnScreen()?.slice(0, MAX_POLLED_ROWS);
    if (!ids?.length) return;
    client
      .query({
        query: volumeRowsRefreshQuery(ids.length),
        variables: volumeRowsVariables(workspaceId, ids),
        fetchPolicy: "network-only",
        // A volume deleted meanwhile must not keep the others from updating.
        errorPolicy: "all",
      })
      .catch(() => {
        /* the next tick will try again */
      });
  }, [client, workspaceId, rowsOnScreen]);

  useEffect(() => {
    const visible = () => typeof document === "undefined" || document.visibilityState === "visible";
    const timer = setInterval(() => {
      if (visible()) refresh();
    }, intervalMs);
    const onVisibility = () => {
      if (visible()) refresh();
    };
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [refresh, intervalMs]);

  return refresh;
}
