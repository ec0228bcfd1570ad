import { useId, useRef, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { toUserErrors } from "../../lib/graphql-errors";
import { FormErrors } from "./FormErrors";

export interface TypeToConfirmFormProps {
  /** What the user must type to enable the button, e.g. the name of the thing being deleted. */
  confirmText: string;
  /** The destructive button's text, e.g. "Delete volume". */
  submitLabel: string;
  /** The button's text while `busy`. */
  busyLabel?: string;
  /** True while the action runs (disables the button). */
  busy: boolean;
  /** Runs the action; a rejection is shown as the form's errors, success closes. */
  onConfirm: () => Promise<unknown>;
  /** Called by Cancel and after `onConfirm` succeeds. */
  onClose: () => void;
  /** The explanation shown above the confirmation field. */
  children: ReactNode;
}

/**
 * The body of a "type the name to confirm" dialog: errors, explanation, confirmation field,
 * Cancel and a destructive button enabled only once the text matches.
 */
export function TypeToConfirmForm({
  confirmText,
  submitLabel,
  busyLabel = "Deleting…",
  busy,
  onConfirm,
  onClose,
  children,
}: TypeToConfirmFormProps) {
  const confirmId = useId();
  const [typed, setTyped] = useState("");
  const [errors, setErrors] = useState<string[]>([]);
  const inFlight = useRef(false);
  const matches = typed === confirmText;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!matches || inFlight.current) return;
    inFlight.current = true;
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setErrors(toUserErrors(err).map((x) => x.message));
    } finally {
      inFlight.current = false;
    }
  }

  return (
    <form onSubmit={(e) => void submit(e)} noValidate>
      <FormErrors messages={errors} />
      {children}
      <div className="field">
        <label htmlFor={confirmId}>
          Type <code>{confirmText}</code> to confirm
        </label>
        <input
          id={confirmId}
          type="text"
          autoComplete="off"
          spellCheck={false}
          autoFocus
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            setErrors([]);
          }}
        />
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-danger" disabled={!matches || busy}>
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
    </form>
  );
}
