import { useId } from "react";
import type { RestoreSource } from "../../../gql/graphql";

/**
 * Which repository a restore reads: offered only when the run's snapshot is in the off-node copy. The copy is what is
 * left when the destination's node is down; a restore from it runs on the copy's node, so a new claim is the sure target.
 */
export function RestoreSourceField({
  value,
  onChange,
  error,
}: {
  value: RestoreSource;
  onChange: (source: RestoreSource) => void;
  error: string | null;
}) {
  const name = useId();
  const hintId = `${name}-hint`;
  return (
    <fieldset className="plain-fieldset" aria-describedby={hintId} data-testid="restore-source">
      <legend>Read the snapshot from</legend>
      <label className="radio-label">
        <input type="radio" name={name} value="PRIMARY" checked={value === "PRIMARY"} onChange={() => onChange("PRIMARY")} />
        The backup&apos;s destination
      </label>
      <label className="radio-label">
        <input type="radio" name={name} value="COPY" checked={value === "COPY"} onChange={() => onChange("COPY")} />
        The off-node copy
      </label>
      <p id={hintId} className="field-hint">
        Use the copy when the destination&apos;s node or volume is unavailable. It is read on the copy&apos;s node, so restore it into a new
        claim unless the target claim can be mounted there.
      </p>
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
