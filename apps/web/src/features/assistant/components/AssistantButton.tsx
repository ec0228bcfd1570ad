import { useEffect, useRef } from "react";
import type { Ref } from "react";
import { useAnnounce } from "../../../components/a11y/useAnnounce";
import { useAssistantConversation } from "../hooks/useAssistantConversation";
import { useAssistantUnreadCount } from "../hooks/useAssistantUnread";
import { newestMessageId, unreadBadgeText } from "../utils/unread";

export interface AssistantButtonProps {
  workspaceId: string;
  /** Whether the panel is open (no unread badge then: everything shown is read). */
  expanded: boolean;
  /** The panel's id, while it is open. */
  controls?: string | undefined;
  onToggle: () => void;
  ref?: Ref<HTMLButtonElement>;
}

/**
 * The header's "Assistant" button. It keeps the conversation live while the panel is closed and
 * shows how many of the assistant's messages this user has not read (in any browser).
 */
export function AssistantButton({ workspaceId, expanded, controls, onToggle, ref }: AssistantButtonProps) {
  const { messages, loaded } = useAssistantConversation(workspaceId);
  const count = useAssistantUnreadCount(workspaceId, newestMessageId(messages));
  const unread = expanded ? 0 : count;
  const announce = useAnnounce();
  // The badge growing while the panel is closed is said; what was unread when the page loaded is not.
  const heard = useRef<number | null>(null);
  useEffect(() => {
    if (!loaded) return;
    const before = heard.current;
    heard.current = unread;
    if (before !== null && unread > before) {
      announce(`The assistant has ${unread === 1 ? "1 unread message" : `${unread} unread messages`}.`, { group: "assistant-unread" });
    }
  }, [unread, loaded, announce]);
  return (
    <button
      ref={ref}
      type="button"
      className="btn btn-ghost assistant-button"
      aria-expanded={expanded}
      aria-controls={expanded ? controls : undefined}
      data-testid="assistant-button"
      onClick={onToggle}
    >
      Assistant
      {unread > 0 && (
        <span className="unread-badge" data-testid="assistant-unread-badge" data-count={unread}>
          <span aria-hidden="true">{unreadBadgeText(unread)}</span>
          <span className="visually-hidden">, {unread === 1 ? "1 unread message" : `${unread} unread messages`}</span>
        </span>
      )}
    </button>
  );
}
