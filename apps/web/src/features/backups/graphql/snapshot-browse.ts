import { graphql } from "../../../gql";

export const SnapshotListingQuery = graphql(`
  query SnapshotListing($runId: ID!, $path: String!, $search: String, $offset: Int!, $limit: Int!) {
    snapshotListing(runId: $runId, path: $path, search: $search, offset: $offset, limit: $limit) {
      runId
      snapshot
      state
      path
      search
      total
      offset
      limit
      indexedEntries
      entries {
        path
        name
        type
        size
        mtime
      }
    }
  }
`);

export const RestoreSnapshotPathsMutation = graphql(`
  mutation RestoreSnapshotPaths($input: RestoreSnapshotPathsInput!) {
    restoreSnapshotPaths(input: $input) {
      id
      backupId
      kind
      status
      scheduledAt
      restoreTarget
      ...RunsTable_BackupRunFragment
    }
  }
`);

export const CreateSnapshotDownloadMutation = graphql(`
  mutation CreateSnapshotDownload($runId: ID!, $path: String!) {
    createSnapshotDownload(runId: $runId, path: $path) {
      url
      fileName
      size
    }
  }
`);
