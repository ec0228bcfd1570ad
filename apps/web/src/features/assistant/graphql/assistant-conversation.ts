import { graphql } from "../../../gql";

/** The workspace's conversation with the assistant, oldest first (the newest 50 messages). */
export const AssistantConversationQuery = graphql(`
  query AssistantConversation($workspaceId: ID!) {
    assistantConversation(workspaceId: $workspaceId, last: 50) {
      id
      author
      ...AssistantMessageBubble_AssistantMessageFragment
    }
  }
`);

export const AssistantMessageAddedSubscription = graphql(`
  subscription AssistantMessageAdded($workspaceId: ID!) {
    assistantMessageAdded(workspaceId: $workspaceId) {
      id
      author
      ...AssistantMessageBubble_AssistantMessageFragment
    }
  }
`);
