import { graphql } from "../../../gql";

/** How many of the assistant's messages the viewer has not read, kept per user on the server. */
export const AssistantUnreadCountQuery = graphql(`
  query AssistantUnreadCount($workspaceId: ID!) {
    assistantUnreadCount(workspaceId: $workspaceId)
  }
`);

export const MarkAssistantReadMutation = graphql(`
  mutation MarkAssistantRead($workspaceId: ID!, $messageId: ID!) {
    markAssistantRead(workspaceId: $workspaceId, messageId: $messageId)
  }
`);
