import { useState } from "react";
import { useMutation } from "@apollo/client/react";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { toUserErrors } from "../../../lib/graphql-errors";
import { PutBackSafetySnapshotMutation } from "../graphql/safety-mutations";
import { upsertRunInBackup } from "../utils/run-cache";

export const PutBack_BackupRunFragment = graphql(`
  fragment PutBack_BackupRunFragment on BackupRun {
    id
    kind
    status
    restoreTarget
    safetySnapshot
  }
`);

/**
 * On a failed overwrite restore: puts back what the claim held before, from the safety snapshot the restore took
 * first (kept: the last 3 and any younger than 7 days). One click; the put-back is a restore run of its own.
 */
export function PutBackButton(props: { run: FragmentType<typeof PutBack_BackupRunFragment>; canManage: boolean }) {
  const run = useFragment(PutBack_BackupRunFragment, props.run);
  const [errors, setErrors] = useState<string[]>([]);
  const [started, setStarted] = useState(false);
  const [putBack, { loading }] = useMutation(PutBackSafetySnapshotMutation, {
    update(cache, { data }) {
      const r = data?.putBackSafetySnapshot;
      if (r) upsertRunInBackup(cache, r);
    },
  });
  if (!props.canManage || run.kind !== "RESTORE" || run.status !== "FAILED" || !run.safetySnapshot) return null;
  const claim = run.restoreTarget?.split("/")[1] ?? "the claim";
  async function click() {
    setErrors([]);
    try {
      await putBack({ variables: { runId: run.id } });
      setStarted(true);
    } catch (err) {
      setErrors(toUserErrors(err).map((e) => e.message));
    }
  }
  return (
    <span className="put-back">
      <button
        type="button"
        className="btn btn-small btn-primary"
        data-testid="run-put-back"
        aria-label={`Put back what was in ${claim} before this restore (safety snapshot ${run.safetySnapshot.slice(0, 8)})`}
        aria-disabled={loading || started || undefined}
        onClick={loading || started ? undefined : () => void click()}
      >
        {started ? "Putting back…" : "Put back what was there"}
      </button>
      {errors.map((m) => (
        <span key={m} role="alert" className="field-error">
          {m}
        </span>
      ))}
    </span>
  );
}
