import { graphql } from "../../../gql";

/** The Storage section's own query (its table's rows come page by page: StorageVolumeWindow). */
export const StoragePageQuery = graphql(`
  query StoragePage($workspaceId: ID!) {
    workspace(id: $workspaceId) {
      id
      ...StorageSection_WorkspaceFragment
    }
    capacityAlerts(workspaceId: $workspaceId) {
      id
      ...VolumesTable_CapacityAlertFragment
    }
  }
`);
