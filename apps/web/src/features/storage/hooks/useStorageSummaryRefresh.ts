import { useCallback, useEffect, useRef } from "react";
import { useApolloClient } from "@apollo/client/react";
import { StorageSummaryRefreshQuery } from "../graphql/volume-subscription";

/** A debounced re-read of the workspace's storage summary (bursts of changes cause one request). */
export function useStorageSummaryRefresh(workspaceId: string, delayMs = 400) {
  const client = useApolloClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      client
        .query({ query: StorageSummaryRefreshQuery, variables: { workspaceId }, fetchPolicy: "network-only" })
        .catch(() => {
          /* the next change or a reload will try again */
        });
    }, delayMs);
  }, [client, workspaceId, delayMs]);
}
