import { useDebouncedRefetch } from "../../../hooks/useDebouncedRefetch";
import { StorageSummaryRefreshQuery } from "../graphql/volume-subscription";

/** A debounced re-read of the workspace's storage summary (bursts of changes cause one request). */
export function useStorageSummaryRefresh(workspaceId: string, delayMs = 400) {
  return useDebouncedRefetch(StorageSummaryRefreshQuery, { workspaceId }, delayMs);
}
