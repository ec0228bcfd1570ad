import { graphql } from "../../../gql";

/** One page of the Storage table, in the server's order; the first page also brings the cursor of every later page. */
export const StorageVolumeWindowQuery = graphql(`
  query StorageVolumeWindow(
    $workspaceId: ID!
    $first: Int!
    $after: String
    $sort: StorageVolumeSort
    $filter: StorageVolumeFilter
    $withCursors: Boolean!
  ) {
    workspace(id: $workspaceId) {
      id
      storageVolumePage(first: $first, after: $after, sort: $sort, filter: $filter) {
        totalCount
        pageCursors @include(if: $withCursors)
        nodes {
          id
          ...VolumesTable_StorageVolumeFragment
        }
      }
    }
  }
`);
