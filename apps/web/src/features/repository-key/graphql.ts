import { graphql } from "../../gql";

/** The workspace's slug (what the admin types to confirm) and who exported the key lately. */
export const RepositoryKeyQuery = graphql(`
  query RepositoryKey($workspaceId: ID!) {
    workspace(id: $workspaceId) {
      id
      slug
      repositoryKeyExports {
        id
        userEmail
        createdAt
      }
    }
  }
`);

export const ExportRepositoryKeyMutation = graphql(`
  mutation ExportRepositoryKey($workspaceId: ID!, $confirm: String!) {
    exportRepositoryKey(workspaceId: $workspaceId, confirm: $confirm)
  }
`);
