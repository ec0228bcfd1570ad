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
 * Re-reads one volume's row, usage included. The usage poll repeats the field once per row on screen
 * (`volumeRowsRefreshQuery`), so a workspace of 10,000 volumes costs a page of rows, not the list.
 */
export const VolumeRowRefreshQuery = graphql(`
  query VolumeRowRefresh($workspaceId: ID!, $volumeId: ID!) {
    workspace(id: $workspaceId) {
      id
      storageVolume(id: $volumeId) {
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
          projection {
            steps {
              at
              kind
              backupName
              source
              deltaBytes
              usedBytes
            }
            firstFailure {
              at
              backupName
              neededBytes
              freeBytes
            }
            plateauBytes
          }
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
