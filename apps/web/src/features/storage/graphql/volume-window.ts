import { graphql } from "../../../gql";

/** One page of the Storage table, in the server's order, with the total and the cursor that starts the next page. */
export const StorageVolumeWindowQuery = graphql(`
  query StorageVolumeWindow($workspaceId: ID!, $first: Int!, $after: String, $sort: StorageVolumeSort, $filter: StorageVolumeFilter) {
    workspace(id: $workspaceId) {
      id
      storageVolumePage(first: $first, after: $after, sort: $sort, filter: $filter) {
        totalCount
        pageInfo {
          endCursor
        }
        nodes {
          id
          ...VolumesTable_StorageVolumeFragment
        }
      }
    }
  }
`);

/**
 * The cursor that starts every page of the table's order: asked for only when the table jumps (a drag of the
 * scrollbar) to a page whose previous page is not loaded, so the first page of an order costs no pass over the list.
 */
export const StorageVolumeCursorsQuery = graphql(`
  query StorageVolumeCursors($workspaceId: ID!, $first: Int!, $sort: StorageVolumeSort, $filter: StorageVolumeFilter) {
    workspace(id: $workspaceId) {
      id
      storageVolumePage(first: $first, sort: $sort, filter: $filter) {
        totalCount
        pageCursors
      }
    }
  }
`);
