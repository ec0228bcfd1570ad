import { useDebouncedRefetch } from "../../../hooks/useDebouncedRefetch";
import { AssistantConversationQuery } from "../graphql/assistant-conversation";

/**
 * A debounced re-read of the conversation: a new message can change earlier ones (a proposal
 * accepted, carried out, superseded), which no event carries.
 */
export function useConversationRefresh(workspaceId: string, delayMs = 300) {
  return useDebouncedRefetch(AssistantConversationQuery, { workspaceId }, delayMs);
}
