import type { ReactNode } from "react";

export interface QuoteProps {
  /** Accessible name of the summary, e.g. "Cost change". */
  label: string;
  testId?: string;
  /** `QuoteRow`s. */
  children: ReactNode;
}

/** A boxed term/value summary (cost, headroom…) shown in a form before it is submitted. */
export function Quote({ label, testId, children }: QuoteProps) {
  return (
    <dl className="quote" aria-label={label} data-testid={testId}>
      {children}
    </dl>
  );
}

export interface QuoteRowProps {
  term: ReactNode;
  /** Class of the value, e.g. "text-danger". */
  valueClassName?: string | undefined;
  children: ReactNode;
}

export function QuoteRow({ term, valueClassName, children }: QuoteRowProps) {
  return (
    <div>
      <dt>{term}</dt>
      <dd className={valueClassName}>{children}</dd>
    </div>
  );
}
