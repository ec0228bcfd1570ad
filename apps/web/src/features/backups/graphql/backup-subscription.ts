import { graphql } from "../../../gql";

export const BackupRunChangedSubscription = graphql(`
  subscription BackupRunChanged($applicationId: ID!) {
    backupRunChanged(applicationId: $applicationId) {
      id
      backupId
      kind
      status
      scheduledAt
      ...RunsTable_BackupRunFragment
    }
  }
`);
