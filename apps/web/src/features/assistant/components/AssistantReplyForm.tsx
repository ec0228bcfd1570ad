import { useId, useRef, useState } from "react";
import type { FormEvent, KeyboardEvent } from "react";

export interface AssistantReplyFormProps {
  busy: boolean;
  /** Sends the text; resolves true when the server took it (the box is then emptied). */
  onSend: (text: string) => Promise<boolean>;
}

/** A free-text answer: "yes", "no", "expand to 750 GiB". Enter sends, Shift+Enter breaks the line. */
export function AssistantReplyForm({ busy, onSend }: AssistantReplyFormProps) {
  const id = useId();
  const hintId = useId();
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);
  const empty = text.trim() === "";

  async function send() {
    if (empty || busy) return;
    if (await onSend(text.trim())) setText("");
    // Send is disabled while sending and once the box is empty: focus goes back to the box, not to the page.
    box.current?.focus();
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void send();
  }

  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  }

  return (
    <form className="assistant-reply" onSubmit={submit} noValidate>
      <label htmlFor={id} className="visually-hidden">
        Reply to the assistant
      </label>
      <textarea
        ref={box}
        id={id}
        rows={2}
        maxLength={2000}
        placeholder="Reply to the assistant…"
        aria-describedby={hintId}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="assistant-reply-footer">
        <span id={hintId} className="small muted">
          e.g. “yes”, “no”, “expand to 20 GiB”
        </span>
        <button type="submit" className="btn btn-primary btn-small" disabled={empty || busy}>
          {busy ? "Sending…" : "Send"}
        </button>
      </div>
    </form>
  );
}
