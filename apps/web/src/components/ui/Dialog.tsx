import { useEffect, useId, useRef } from "react";
import type { ReactNode } from "react";

export interface DialogProps {
  title: string;
  /** Called on Escape, the close button or Cancel. */
  onClose: () => void;
  children: ReactNode;
  /** Short text under the title; becomes the dialog's accessible description. */
  description?: ReactNode;
  size?: "sm" | "md" | "lg";
  testId?: string;
}

/**
 * A modal dialog on the native <dialog> element (focus trap, Escape, inert background for free).
 * Mount it to open it; unmount it to close it.
 */
export function Dialog({ title, onClose, children, description, size = "md", testId }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      if (typeof d.showModal === "function") d.showModal();
      else d.setAttribute("open", "");
    }
    return () => {
      if (d?.open) d.close();
    };
  }, []);

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
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
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
