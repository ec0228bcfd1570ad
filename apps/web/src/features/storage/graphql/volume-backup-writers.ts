import { graphql } from "../../../gql";

/** The backups writing into one volume: while there are any, it cannot be deleted. */
export const VolumeBackupWritersQuery = graphql(`
  query VolumeBackupWriters($workspaceId: ID!, $volumeId: ID!) {
    workspace(id: $workspaceId) {
      id
      storageVolume(id: $volumeId) {
        id
        backupWriters {
          id
          name
          applicationId
        }
      }
    }
  }
`);
