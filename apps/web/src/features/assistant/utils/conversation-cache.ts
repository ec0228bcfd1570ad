import type { ApolloCache } from "@apollo/client";
import type { ResultOf } from "@graphql-typed-document-node/core";
import { AssistantConversationQuery } from "../graphql/assistant-conversation";
import { appendNew } from "./unread";

export type ConversationMessage = ResultOf<typeof AssistantConversationQuery>["assistantConversation"][number];

/** Adds messages (already normalized in the cache) to the end of the workspace's loaded conversation. */
export function addMessagesToConversation(cache: ApolloCache, workspaceId: string, messages: readonly ConversationMessage[]): void {
  cache.updateQuery({ query: AssistantConversationQuery, variables: { workspaceId } }, (data) =>
    data ? { ...data, assistantConversation: appendNew(data.assistantConversation, messages) } : data,
  );
}
