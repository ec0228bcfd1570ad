import { useCallback, useRef, useState } from "react";
import { useMutation } from "@apollo/client/react";
import type { ReplyToAssistantInput } from "../../../gql/graphql";
import { toUserErrors, type UserError } from "../../../lib/graphql-errors";
import { ReplyToAssistantMutation } from "../graphql/assistant-mutations";
import { addMessagesToConversation } from "../utils/conversation-cache";

export type AssistantReply = Omit<ReplyToAssistantInput, "workspaceId">;

/**
 * Answers the assistant (free text or a proposal's action). The answer and the assistant's reply
 * join the conversation; the conversation is then re-read for the answered proposal's new state.
 * Resolves true when the server took the answer; its errors are kept for the panel to show.
 */
export function useReplyToAssistant(workspaceId: string) {
  const [errors, setErrors] = useState<UserError[]>([]);
  const inFlight = useRef(false);
  const [mutate, { loading }] = useMutation(ReplyToAssistantMutation, {
    update(cache, { data }) {
      if (data) addMessagesToConversation(cache, workspaceId, data.replyToAssistant);
    },
    refetchQueries: ["AssistantConversation"],
  });

  const reply = useCallback(
    async (input: AssistantReply): Promise<boolean> => {
      if (inFlight.current) return false;
      inFlight.current = true;
      setErrors([]);
      try {
        await mutate({ variables: { input: { ...input, workspaceId } } });
        return true;
      } catch (err) {
        setErrors(toUserErrors(err));
        return false;
      } finally {
        inFlight.current = false;
      }
    },
    [mutate, workspaceId],
  );

  const clearErrors = useCallback(() => setErrors([]), []);
  return { reply, busy: loading, errors, clearErrors };
}
