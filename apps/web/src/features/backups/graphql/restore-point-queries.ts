import { graphql } from "../../../gql";

export const RestorePointFieldsFragment = graphql(`
  fragment RestorePointsTable_RestorePointFragment on RestorePoint {
    id
    time
    backupId
    backupName
    backupDeleted
    applicationId
    applicationName
    volumeId
    volume {
      id
      name
    }
    folder
    snapshot
    totalBytes
    files
    recovered
    backupRecovered
    run {
      id
      ...RunsTable_BackupRunFragment
    }
    lastRestore {
      id
      ...RestorePointRestoreStatus_BackupRunFragment
    }
  }
`);

export const RestorePointPageFragment = graphql(`
  fragment RestorePointsPanel_RestorePointPageFragment on RestorePointPage {
    totalCount
    hasNextPage
    endCursor
    nodes {
      id
      lastRestore {
        id
        status
      }
      ...RestorePointsTable_RestorePointFragment
    }
  }
`);

export const ApplicationRestorePointsQuery = graphql(`
  query ApplicationRestorePoints($applicationId: ID!, $first: Int!, $after: String) {
    application(id: $applicationId) {
      id
      restorePoints(first: $first, after: $after) {
        ...RestorePointsPanel_RestorePointPageFragment
      }
    }
  }
`);

export const VolumeRestorePointsQuery = graphql(`
  query VolumeRestorePoints($workspaceId: ID!, $volumeId: ID!, $first: Int!, $after: String) {
    workspace(id: $workspaceId) {
      id
      storageVolume(id: $volumeId) {
        id
        restorePoints(first: $first, after: $after) {
          ...RestorePointsPanel_RestorePointPageFragment
        }
      }
    }
  }
`);

export const CatalogJobFieldsFragment = graphql(`
  fragment RescanControl_CatalogJobFragment on CatalogJob {
    id
    status
    message
  }
`);

export const RescanStorageVolumeMutation = graphql(`
  mutation RescanStorageVolume($volumeId: ID!) {
    rescanStorageVolume(volumeId: $volumeId) {
      id
      ...RescanControl_CatalogJobFragment
    }
  }
`);

export const CatalogJobQuery = graphql(`
  query CatalogJob($id: ID!) {
    catalogJob(id: $id) {
      id
      ...RescanControl_CatalogJobFragment
    }
  }
`);

export const DeleteBackupDialogQuery = graphql(`
  query DeleteBackupDialog($id: ID!) {
    backup(id: $id) {
      id
      format
      restorePointCount
    }
  }
`);

export const VolumeRestorePointHoldingsQuery = graphql(`
  query VolumeRestorePointHoldings($workspaceId: ID!, $volumeId: ID!) {
    workspace(id: $workspaceId) {
      id
      storageVolume(id: $volumeId) {
        id
        restorePointHoldings {
          backupId
          backupName
          deleted
          applicationName
          count
          newest
        }
      }
    }
  }
`);
