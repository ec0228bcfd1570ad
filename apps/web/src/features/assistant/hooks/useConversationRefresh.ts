import { useCallback, useEffect, useRef } from "react";
import { useApolloClient } from "@apollo/client/react";
import { AssistantConversationQuery } from "../graphql/assistant-conversation";

/**
 * A debounced re-read of the conversation: a new message can change earlier ones (a proposal
 * accepted, carried out, superseded), which no event carries.
 */
export function useConversationRefresh(workspaceId: string, delayMs = 300) {
  const client = useApolloClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      client
        .query({ query: AssistantConversationQuery, variables: { workspaceId }, fetchPolicy: "network-only" })
        .catch(() => {
          /* the next message or a reload will try again */
        });
    }, delayMs);
  }, [client, workspaceId, delayMs]);
}
