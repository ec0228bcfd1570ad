import { graphql } from "../../../gql";

export const CreateStorageVolumeMutation = graphql(`
  mutation CreateStorageVolume($input: CreateStorageVolumeInput!) {
    createStorageVolume(input: $input) {
      id
      workspaceId
      ...VolumesTable_StorageVolumeFragment
    }
  }
`);

export const ExpandStorageVolumeMutation = graphql(`
  mutation ExpandStorageVolume($input: ExpandStorageVolumeInput!) {
    expandStorageVolume(input: $input) {
      id
      workspaceId
      ...VolumesTable_StorageVolumeFragment
    }
  }
`);

export const DeleteStorageVolumeMutation = graphql(`
  mutation DeleteStorageVolume($id: ID!, $confirmRestorePoints: Boolean) {
    deleteStorageVolume(id: $id, confirmRestorePoints: $confirmRestorePoints) {
      id
      workspaceId
      ...VolumesTable_StorageVolumeFragment
    }
  }
`);
