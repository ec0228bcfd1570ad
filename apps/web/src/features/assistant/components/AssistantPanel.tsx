import { useEffect, useId, useRef } from "react";
import { useQuery } from "@apollo/client/react";
import { FormErrors } from "../../../components/ui/FormErrors";
import { Spinner } from "../../../components/ui/Spinner";
import { toUserErrors } from "../../../lib/graphql-errors";
import { AssistantConversationQuery } from "../graphql/assistant-conversation";
import { useMarkAssistantRead } from "../hooks/useAssistantUnread";
import { useReplyToAssistant } from "../hooks/useReplyToAssistant";
import { newestMessageId } from "../utils/unread";
import { AssistantActivity } from "./AssistantActivity";
import { AssistantMessageBubble } from "./AssistantMessageBubble";
import { AssistantReplyForm } from "./AssistantReplyForm";

export interface AssistantPanelProps {
  id: string;
  workspaceId: string;
  /** Workspace Admins answer; members read. */
  canAnswer: boolean;
  onClose: () => void;
}

/**
 * The side panel with the workspace's conversation (kept live by the header's button), the answers to
 * a waiting proposal and a free-text reply box. Everything it shows counts as read.
 */
export function AssistantPanel({ id, workspaceId, canAnswer, onClose }: AssistantPanelProps) {
  const titleId = useId();
  const panelRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const { data, error } = useQuery(AssistantConversationQuery, { variables: { workspaceId } });
  const messages = data?.assistantConversation ?? [];
  const newest = newestMessageId(messages);
  const markRead = useMarkAssistantRead(workspaceId);
  const { reply, busy, errors } = useReplyToAssistant(workspaceId);

  useEffect(() => {
    panelRef.current?.focus({ preventScroll: true });
  }, []);

  // Escape closes the panel also when focus has fallen to the page (the control that had it went away).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && document.activeElement === document.body) onClose();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);

  useEffect(() => {
    markRead(newest);
    const list = listRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [newest, markRead]);

  return (
    <aside
      id={id}
      ref={panelRef}
      className="assistant-panel"
      aria-labelledby={titleId}
      tabIndex={-1}
      data-testid="assistant-panel"
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="assistant-panel-header">
        <h2 id={titleId}>Assistant</h2>
        <button type="button" className="icon-button" aria-label="Close panel" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="small muted assistant-intro">
        Watches your volumes&apos; usage, tells you before they fill up and proposes expansions.
      </p>

      {error && !data && <FormErrors messages={toUserErrors(error).map((e) => e.message)} />}
      {!data && !error && (
        <div className="assistant-loading">
          <Spinner label="Loading the conversation" />
        </div>
      )}
      {data && messages.length === 0 && (
        <p className="muted assistant-empty">Nothing yet: the assistant writes here when a volume needs attention.</p>
      )}
      {/* Focusable so that keyboard users can scroll the conversation. */}
      <ol ref={listRef} className="assistant-messages" aria-label="Conversation" aria-live="polite" tabIndex={0}>
        {messages.map((m) => (
          <li key={m.id}>
            <AssistantMessageBubble message={m} canAnswer={canAnswer} busy={busy} onReply={reply} />
          </li>
        ))}
      </ol>

      <div className="assistant-panel-footer">
        <FormErrors messages={errors.map((e) => e.message)} />
        {canAnswer ? (
          <>
            <AssistantReplyForm busy={busy} onSend={(text) => reply({ text })} />
            <AssistantActivity workspaceId={workspaceId} />
          </>
        ) : (
          <p className="assistant-read-only small" data-testid="assistant-read-only">
            Only a Workspace Admin can answer the assistant; you can read the conversation.
          </p>
        )}
      </div>
    </aside>
  );
}
