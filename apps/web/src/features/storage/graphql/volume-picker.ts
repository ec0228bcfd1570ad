import { graphql } from "../../../gql";

/** The volumes a picker offers: the first page of the matches, by name, and how many match in all. */
export const VolumePickerQuery = graphql(`
  query VolumePicker($workspaceId: ID!, $first: Int!, $filter: StorageVolumeFilter, $selectedId: ID!, $hasSelected: Boolean!) {
    workspace(id: $workspaceId) {
      id
      storageVolumePage(first: $first, sort: { key: NAME, direction: ASC }, filter: $filter) {
        totalCount
        nodes {
          id
          name
          sizeGiB
          status
          node
        }
      }
      selected: storageVolume(id: $selectedId) @include(if: $hasSelected) {
        id
        name
        sizeGiB
        status
        node
      }
    }
  }
`);
