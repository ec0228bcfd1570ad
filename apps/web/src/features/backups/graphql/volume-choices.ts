import { graphql } from "../../../gql";

/**
 * Whether the workspace has volumes a backup can write into, and which when there is only one: two of them by name
 * and how many in all (the pickers search the rest on the server).
 */
export const BackupVolumeChoicesQuery = graphql(`
  query BackupVolumeChoices($workspaceId: ID!) {
    workspace(id: $workspaceId) {
      id
      storageVolumePage(first: 2, sort: { key: NAME, direction: ASC }, filter: { statuses: [AVAILABLE] }) {
        totalCount
        nodes {
          id
          name
        }
      }
    }
  }
`);
