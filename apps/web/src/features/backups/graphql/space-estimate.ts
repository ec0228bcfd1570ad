import { graphql } from "../../../gql";

/** What the Backup in the form will need at steady state, against its destination (the agent's projection). */
export const BackupSpaceEstimateQuery = graphql(`
  query BackupSpaceEstimate($input: BackupSpaceEstimateInput!) {
    backupSpaceEstimate(input: $input) {
      basis
      neededBytes
      summary
      basisWords
      volumeName
      freeBytes
      capacityBytes
      roomBytes
      destinationWords
      fits
      warning
    }
  }
`);
