import { useCallback, useEffect } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { AssistantUnreadCountQuery, MarkAssistantReadMutation } from "../graphql/assistant-unread";

/**
 * The viewer's unread count (from the server, so the same in every browser), asked again whenever the
 * newest message of the conversation changes.
 */
export function useAssistantUnreadCount(workspaceId: string, newestMessageId: string | null): number {
  const { data, refetch } = useQuery(AssistantUnreadCountQuery, { variables: { workspaceId } });
  useEffect(() => {
    if (newestMessageId) void refetch().catch(() => undefined);
  }, [newestMessageId, refetch]);
  return data?.assistantUnreadCount ?? 0;
}

/** Marks the conversation read up to a message, for the viewer; the badge takes the count the server returns. */
export function useMarkAssistantRead(workspaceId: string) {
  const [mark] = useMutation(MarkAssistantReadMutation, {
    update(cache, { data }) {
      if (data)
        cache.writeQuery({
          query: AssistantUnreadCountQuery,
          variables: { workspaceId },
          data: { assistantUnreadCount: data.markAssistantRead },
        });
    },
  });
  return useCallback(
    (messageId: string | null) => {
      if (messageId) void mark({ variables: { workspaceId, messageId } }).catch(() => undefined);
    },
    [mark, workspaceId],
  );
}
