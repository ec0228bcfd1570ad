import { useCallback, useEffect } from "react";
import { useApolloClient } from "@apollo/client/react";
import { VolumeUsageRefreshQuery } from "../graphql/volume-usage";

/**
 * Re-reads the workspace's volumes (usage included) every `intervalMs` while the page is visible,
 * and at once when it becomes visible again. Returns a function that re-reads them now.
 */
export function useVolumeUsagePolling(workspaceId: string, intervalMs = 5000) {
  const client = useApolloClient();

  const refresh = useCallback(() => {
    client
      .query({ query: VolumeUsageRefreshQuery, variables: { workspaceId }, fetchPolicy: "network-only" })
      .catch(() => {
        /* the next tick will try again */
      });
  }, [client, workspaceId]);

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
