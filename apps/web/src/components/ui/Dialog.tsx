import { useEffect, useId, useRef, useState } from "react";
import type { ReactNode } from "react";
import { initialFocus, rememberFocus, restoreFocus } from "../a11y/focus";
import { modalHost } from "../a11y/modal-host";

export interface DialogProps {
  title: string;
  /** Called on Escape, the close button or Cancel. */
  onClose: () => void;
  children: ReactNode;
  /** Short text under the title; becomes the dialog's accessible description. */
  description?: ReactNode;
  size?: "sm" | "md" | "lg";
  testId?: string;
  /** Where focus goes on close when the trigger can no longer take it (default: its row, else the main content). */
  returnFocus?: () => HTMLElement | null;
}

/**
 * A modal dialog on the native <dialog> element (focus trap, Escape, inert background for free).
 * Mount it to open it; unmount it to close it. It opens with focus on its first field and, closed,
 * gives focus back to what opened it (see restoreFocus).
 */
export function Dialog({ title, onClose, children, description, size = "md", testId, returnFocus }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const descId = useId();
  // Read on the first render, while focus is still on the trigger.
  const [trigger] = useState(() => rememberFocus(document.activeElement));
  const returnFocusRef = useRef(returnFocus);
  returnFocusRef.current = returnFocus;

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (!d.open) {
      if (typeof d.showModal === "function") d.showModal();
      else d.setAttribute("open", "");
    }
    modalHost.push(d);
    // showModal() focuses the first control, the close button; the first field is where work starts.
    (initialFocus(d, closeRef.current) ?? closeRef.current)?.focus();
    return () => {
      modalHost.remove(d);
      if (d.open) d.close();
      // After the page has re-rendered (the trigger may have changed); not if the dialog is open again
      // (StrictMode re-runs effects) or focus has already gone somewhere on purpose.
      setTimeout(() => {
        if (d.isConnected && d.open) return;
        const active = document.activeElement;
        if (active && active !== document.body && active.isConnected && !d.contains(active)) return;
        restoreFocus(trigger, returnFocusRef.current);
      }, 0);
    };
  }, [trigger]);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button ref={closeRef} type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {description && (
        <p id={descId} className="dialog-description">
          {description}
        </p>
      )}
      {children}
    </dialog>
  );
}
