import type { VerifyState } from "../../../gql/graphql";
import { Spinner } from "../../../components/ui/Spinner";
import { VERIFY_STATE_LABEL, verifyStateTone } from "../utils/run-status";

export function VerifyStateBadge({ state }: { state: VerifyState }) {
  if (state === "NOT_VERIFIED") return <span className="muted small">{VERIFY_STATE_LABEL[state]}</span>;
  return (
    <span className={`badge tone-${verifyStateTone(state)}`} data-verify-state={state} data-testid="run-verify-state">
      {state === "VERIFYING" && <Spinner />}
      {VERIFY_STATE_LABEL[state]}
    </span>
  );
}
