import { useQuery, useSubscription } from "@apollo/client/react";
import { AssistantConversationQuery, AssistantMessageAddedSubscription } from "../graphql/assistant-conversation";
import { addMessagesToConversation } from "../utils/conversation-cache";
import { useConversationRefresh } from "./useConversationRefresh";

/**
 * The workspace's conversation with the assistant, kept live: each new message joins the loaded
 * list at once, then the list is re-read so earlier proposals show what became of them.
 */
export function useAssistantConversation(workspaceId: string) {
  const { data, error } = useQuery(AssistantConversationQuery, { variables: { workspaceId } });
  const refresh = useConversationRefresh(workspaceId);
  const { error: liveError } = useSubscription(AssistantMessageAddedSubscription, {
    variables: { workspaceId },
    ignoreResults: true,
    onData: ({ client, data: event }) => {
      const message = event.data?.assistantMessageAdded;
      if (!message) return;
      addMessagesToConversation(client.cache, workspaceId, [message]);
      refresh();
    },
  });
  return { messages: data?.assistantConversation ?? [], loaded: data !== undefined, error, liveError };
}
