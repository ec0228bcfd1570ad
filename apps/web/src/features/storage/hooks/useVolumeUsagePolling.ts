import { useCallback, useEffect } from "react";
import { useApolloClient } from "@apollo/client/react";
import { MAX_POLLED_ROWS, volumeRowsRefreshQuery, volumeRowsVariables } from "../utils/volume-rows-query";

/** The rows on screen, and whether they are still changing (the list is being scrolled). */
export interface RowsOnScreen {
  ids: readonly string[];
  moving: boolean;
}

/**
 * Re-reads the volumes on screen (usage included) every `intervalMs` while the page is visible, and
 * at once when it becomes visible again; `rowsOnScreen` says which they are at the time. Only those:
 * rows scrolled out of view cost nothing, however large the workspace. The timer skips a tick while
 * they are moving (those rows are on their way out, and the re-read would cost frames mid-scroll).
 * Returns a function that re-reads them now, moving or not: it answers an event (an alert changed)
 * whose figures the rows must agree with.
 */
export function useVolumeUsagePolling(workspaceId: string, rowsOnScreen: () => RowsOnScreen, intervalMs = 5000) {
  const client = useApolloClient();

  const read = useCallback(
    (ids: readonly string[]) => {
      const some = ids.slice(0, MAX_POLLED_ROWS);
      if (!some.length) return;
      client
        .query({
          query: volumeRowsRefreshQuery(some.length),
          variables: volumeRowsVariables(workspaceId, some),
          fetchPolicy: "network-only",
          // A volume deleted meanwhile must not keep the others from updating.
          errorPolicy: "all",
        })
        .catch(() => {
          /* the next tick will try again */
        });
    },
    [client, workspaceId],
  );

  useEffect(() => {
    const visible = () => typeof document === "undefined" || document.visibilityState === "visible";
    const tick = () => {
      const rows = rowsOnScreen();
      if (visible() && !rows.moving) read(rows.ids);
    };
    const timer = setInterval(tick, intervalMs);
    document.addEventListener("visibilitychange", tick);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [read, rowsOnScreen, intervalMs]);

  return useCallback(() => read(rowsOnScreen().ids), [read, rowsOnScreen]);
}
