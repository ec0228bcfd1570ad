import type { ReactNode } from "react";
import { Spinner } from "./Spinner";

export function LoadingState({ label }: { label: string }) {
  return (
    <div className="page-state">
      <Spinner size="md" label={label} />
      <span className="muted">{label}…</span>
    </div>
  );
}

export function ErrorState({ title, message, action }: { title: string; message: string; action?: ReactNode }) {
  return (
    <div className="page-state page-state-error" role="alert">
      <h2>{title}</h2>
      <p>{message}</p>
      {action}
    </div>
  );
}
