import { graphql } from "../../../gql";

/** The backups writing into the workspace's volumes: a volume with any cannot be deleted. */
export const VolumeBackupWritersQuery = graphql(`
  query VolumeBackupWriters($workspaceId: ID!) {
    workspace(id: $workspaceId) {
      id
      storageVolumes {
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
