import { graphql } from "../../../gql";

export const CreateBackupMutation = graphql(`
  mutation CreateBackup($input: CreateBackupInput!) {
    createBackup(input: $input) {
      id
      applicationId
      ...BackupsTable_BackupFragment
      ...BackupFormDialog_BackupFragment
    }
  }
`);

export const UpdateBackupMutation = graphql(`
  mutation UpdateBackup($input: UpdateBackupInput!) {
    updateBackup(input: $input) {
      id
      applicationId
      ...BackupsTable_BackupFragment
      ...BackupFormDialog_BackupFragment
      ...PrunePreview_BackupFragment
    }
  }
`);

export const DeleteBackupMutation = graphql(`
  mutation DeleteBackup($id: ID!, $keepRestorePoints: Boolean) {
    deleteBackup(id: $id, keepRestorePoints: $keepRestorePoints) {
      id
      applicationId
    }
  }
`);

export const SuspendBackupMutation = graphql(`
  mutation SuspendBackup($id: ID!) {
    suspendBackup(id: $id) {
      id
      ...BackupsTable_BackupFragment
    }
  }
`);

export const ResumeBackupMutation = graphql(`
  mutation ResumeBackup($id: ID!) {
    resumeBackup(id: $id) {
      id
      ...BackupsTable_BackupFragment
    }
  }
`);

export const RunBackupNowMutation = graphql(`
  mutation RunBackupNow($id: ID!) {
    runBackupNow(id: $id) {
      id
      backupId
      kind
      status
      scheduledAt
      ...RunsTable_BackupRunFragment
    }
  }
`);

export const RestoreBackupRunMutation = graphql(`
  mutation RestoreBackupRun($input: RestoreBackupRunInput!) {
    restoreBackupRun(input: $input) {
      id
      backupId
      kind
      status
      scheduledAt
      ...RunsTable_BackupRunFragment
    }
  }
`);

export const VerifyBackupRunMutation = graphql(`
  mutation VerifyBackupRun($runId: ID!) {
    verifyBackupRun(runId: $runId) {
      id
      backupId
      kind
      status
      scheduledAt
      ...RunsTable_BackupRunFragment
    }
  }
`);

/** An admin's choice to leave a claim (e.g. a restored copy) without a backup; the flag goes away for everyone. */
export const DismissUncoveredClaimMutation = graphql(`
  mutation DismissUncoveredClaim($applicationId: ID!, $claimName: String!) {
    dismissUncoveredClaim(applicationId: $applicationId, claimName: $claimName) {
      id
    }
  }
`);
