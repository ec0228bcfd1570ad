import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import type { AssistantReply } from "../hooks/useReplyToAssistant";
import { formatMessageTime } from "../utils/message-time";
import { ProposalActions } from "./ProposalActions";

export const AssistantMessageBubble_AssistantMessageFragment = graphql(`
  fragment AssistantMessageBubble_AssistantMessageFragment on AssistantMessage {
    id
    author
    text
    createdAt
    proposal {
      ...ProposalActions_ExpansionProposalFragment
    }
  }
`);

export interface AssistantMessageBubbleProps {
  message: FragmentType<typeof AssistantMessageBubble_AssistantMessageFragment>;
  canAnswer: boolean;
  busy: boolean;
  onReply: (reply: AssistantReply) => Promise<boolean>;
}

/** One message of the conversation: the assistant's on the left, the admins' answers on the right. */
export function AssistantMessageBubble({ message, canAnswer, busy, onReply }: AssistantMessageBubbleProps) {
  const m = useFragment(AssistantMessageBubble_AssistantMessageFragment, message);
  const fromUser = m.author === "USER";
  return (
    <div
      className={`assistant-bubble ${fromUser ? "bubble-user" : "bubble-assistant"}`}
      data-testid="assistant-message"
      data-author={m.author}
      data-message-id={m.id}
    >
      <p className="bubble-meta small muted">
        <span>{fromUser ? "You" : "Assistant"}</span>
        <time dateTime={m.createdAt} title={new Date(m.createdAt).toLocaleString()}>
          {formatMessageTime(m.createdAt)}
        </time>
      </p>
      <p className="bubble-text" data-testid="assistant-message-text">
        {m.text}
      </p>
      {m.proposal && <ProposalActions messageId={m.id} proposal={m.proposal} canAnswer={canAnswer} busy={busy} onReply={onReply} />}
    </div>
  );
}
