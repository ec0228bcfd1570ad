import { graphql } from "../../../gql";

/** Restores a failed overwrite restore's safety snapshot into the same claim (a RESTORE run of its own). */
export const PutBackSafetySnapshotMutation = graphql(`
  mutation PutBackSafetySnapshot($runId: ID!) {
    putBackSafetySnapshot(runId: $runId) {
      id
      backupId
      kind
      status
      scheduledAt
      ...RunsTable_BackupRunFragment
    }
  }
`);
