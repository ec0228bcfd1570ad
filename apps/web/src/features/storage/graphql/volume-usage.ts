import { graphql } from "../../../gql";

/** Alerts raised, escalated or cleared in the workspace. */
export const CapacityAlertRaisedSubscription = graphql(`
  subscription CapacityAlertRaised($workspaceId: ID!) {
    capacityAlertRaised(workspaceId: $workspaceId) {
      id
      volumeId
      state
      level
    }
  }
`);

/** Re-reads the open alerts (which volumes have one) after an alert changed. */
export const CapacityAlertsRefreshQuery = graphql(`
  query CapacityAlertsRefresh($workspaceId: ID!) {
    capacityAlerts(workspaceId: $workspaceId) {
      id
      ...VolumesTable_CapacityAlertFragment
    }
  }
`);

/**
 * Re-reads the volumes' rows, usage included (one request; the server batch-loads every volume's
 * usage), so the usage bars move while the Storage section is on screen.
 */
export const VolumeUsageRefreshQuery = graphql(`
  query VolumeUsageRefresh($workspaceId: ID!) {
    workspace(id: $workspaceId) {
      id
      storageVolumes {
        id
        ...VolumesTable_StorageVolumeFragment
      }
    }
  }
`);

/** One volume's usage over the last 24 hours, for its chart. */
export const VolumeUsageHistoryQuery = graphql(`
  query VolumeUsageHistory($workspaceId: ID!, $volumeId: ID!) {
    workspace(id: $workspaceId) {
      id
      storageVolume(id: $volumeId) {
        id
        name
        sizeGiB
        usage {
          usedBytes
          capacityBytes
          percent
          sampledAt
          estimatedFullAt
        }
        usageHistory(hours: 24) {
          at
          usedBytes
          capacityBytes
        }
      }
    }
  }
`);
