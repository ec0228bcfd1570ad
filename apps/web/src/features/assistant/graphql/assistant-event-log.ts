import { graphql } from "../../../gql";

/** The agents' hand-offs in the workspace, newest first (Workspace Admins only). */
export const AssistantEventLogQuery = graphql(`
  query AssistantEventLog($workspaceId: ID!) {
    assistantEventLog(workspaceId: $workspaceId) {
      id
      createdAt
      fromAgent
      toAgent
      kind
      outcome
      handledAt
      summary
    }
  }
`);
