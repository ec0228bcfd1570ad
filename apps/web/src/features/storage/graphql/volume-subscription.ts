import { graphql } from "../../../gql";

export const StorageVolumeChangedSubscription = graphql(`
  subscription StorageVolumeChanged($workspaceId: ID!) {
    storageVolumeChanged(workspaceId: $workspaceId) {
      id
      workspaceId
      status
      ...VolumesTable_StorageVolumeFragment
    }
  }
`);

/** Re-reads the numbers that a volume change moves: provisioned GiB, headroom, cost. */
export const StorageSummaryRefreshQuery = graphql(`
  query StorageSummaryRefresh($workspaceId: ID!) {
    workspace(id: $workspaceId) {
      id
      storageSummary {
        provisionedGiB
        planLimitGiB
        availableGiB
        monthlyCost
        currency
      }
    }
  }
`);
