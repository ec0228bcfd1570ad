import { useId } from "react";
import type { ReactNode } from "react";

export interface FormFieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

export interface FormFieldProps {
  label: ReactNode;
  /** Shown under the control in red; also marks the control invalid. */
  error?: string | null | undefined;
  hint?: ReactNode;
  className?: string;
  testId?: string;
  /** Renders the control with the id and ARIA wiring it needs. */
  children: (control: FormFieldControlProps) => ReactNode;
}

/** A labelled form control with a hint and an error line, wired for screen readers. */
export function FormField({ label, error, hint, className, testId, children }: FormFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errId = `${id}-err`;
  const describedBy = [error ? errId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  const control: FormFieldControlProps = { id };
  if (describedBy) control["aria-describedby"] = describedBy;
  if (error) control["aria-invalid"] = true;
  return (
    <div className={className ? `field ${className}` : "field"} data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      {children(control)}
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
