import { useEffect, useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import type { AssistantReply } from "../hooks/useReplyToAssistant";
import { parseOtherSize, proposalOutcome, proposalTone } from "../utils/proposal";
import { RemedyButtons, remedyOutcome } from "./RemedyButtons";

export const ProposalActions_ExpansionProposalFragment = graphql(`
  fragment ProposalActions_ExpansionProposalFragment on ExpansionProposal {
    volumeId
    volumeName
    fromSizeGiB
    suggestedSizeGiB
    state
    sizeGiB
    applied
    expandable
    remedies {
      kind
      label
    }
  }
`);

export interface ProposalActionsProps {
  /** The message carrying the proposal (what the answer refers to). */
  messageId: string;
  proposal: FragmentType<typeof ProposalActions_ExpansionProposalFragment>;
  canAnswer: boolean;
  busy: boolean;
  onReply: (reply: AssistantReply) => Promise<boolean>;
}

/**
 * The answers to an expansion proposal while it waits (expand to the suggested size, to another
 * size, or dismiss), and what became of it afterwards.
 */
export function ProposalActions({ messageId, proposal, canAnswer, busy, onReply }: ProposalActionsProps) {
  const p = useFragment(ProposalActions_ExpansionProposalFragment, proposal);
  const sizeId = useId();
  const errorId = useId();
  const [otherText, setOtherText] = useState("");
  const [otherError, setOtherError] = useState<string | null>(null);
  const outcome = remedyOutcome(p) ?? proposalOutcome(p);
  // Answered from here: when the answer replaces the buttons, focus goes to what became of the proposal
  // (inside the panel, so Escape still closes it) instead of falling to the page.
  const answered = useRef(false);
  const stateRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (outcome === null || !answered.current) return;
    answered.current = false;
    stateRef.current?.focus();
  }, [outcome]);
  const answer = (reply: AssistantReply) => {
    if (busy) return;
    answered.current = true;
    void onReply(reply);
  };

  if (outcome !== null) {
    return (
      <p className="proposal-state" ref={stateRef} tabIndex={-1}>
        <span className={`badge tone-${proposalTone(p.state)}`} data-testid="proposal-state" data-state={p.state}>
          {outcome}
        </span>
      </p>
    );
  }
  if (!canAnswer) {
    return (
      <p className="proposal-state small muted" data-testid="proposal-state" data-state={p.state}>
        Waiting for a Workspace Admin&apos;s answer.
      </p>
    );
  }

  function submitOther(e: FormEvent) {
    e.preventDefault();
    const parsed = parseOtherSize(otherText, p.fromSizeGiB);
    if (!parsed.ok) {
      setOtherError(parsed.error);
      return;
    }
    answer({ messageId, action: "ACCEPT", sizeGiB: parsed.sizeGiB });
  }

  return (
    <div className="proposal-actions" role="group" aria-label={`Answer about ${p.volumeName}`} data-testid="proposal-actions">
      <div className="proposal-buttons">
        {p.expandable !== false && (
          <button
            type="button"
            className="btn btn-primary btn-small"
            // aria-disabled, not disabled, while busy: the button keeps focus until the answer replaces it.
            aria-disabled={busy || undefined}
            onClick={() => answer({ messageId, action: "ACCEPT" })}
          >
            Expand to {p.suggestedSizeGiB} GiB
          </button>
        )}
        <button
          type="button"
          className="btn btn-small"
          aria-disabled={busy || undefined}
          onClick={() => answer({ messageId, action: "DECLINE" })}
        >
          Dismiss
        </button>
      </div>
      <RemedyButtons remedies={p.remedies} busy={busy} onChoose={(remedy) => answer({ messageId, action: "ACCEPT", remedy })} />
      {p.expandable !== false && (
        <form className="proposal-other-size" onSubmit={submitOther} noValidate>
          <label htmlFor={sizeId} className="small">
            Other size (GiB)
          </label>
          <input
            id={sizeId}
            type="number"
            inputMode="numeric"
            min={p.fromSizeGiB + 1}
            step={1}
            value={otherText}
            placeholder={String(p.suggestedSizeGiB)}
            aria-invalid={otherError ? true : undefined}
            aria-describedby={otherError ? errorId : undefined}
            onChange={(e) => {
              setOtherText(e.target.value);
              setOtherError(null);
            }}
          />
          <button type="submit" className="btn btn-small" aria-disabled={busy || undefined}>
            Expand to this size
          </button>
          {otherError && (
            <p id={errorId} className="field-error">
              {otherError}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
