import { useEffect, useRef, useState } from "react";
import { skipToken, useQuery } from "@apollo/client/react";
import type { BackupSpaceEstimateInput } from "../../../gql/graphql";
import { BackupSpaceEstimateQuery } from "../graphql/space-estimate";
import { useDebouncedValue } from "../hooks/useDebouncedValue";
import { backupFieldsFromDraft, isDatabaseFunction, type BackupDraft } from "../utils/backup-form";

/**
 * What the Backup being created or edited will need on its destination at steady state, from the server's
 * projection (the same one the assistant uses), against the volume's free space and the other backups sharing it.
 * A Backup that will not fit is not refused: the first save is held so the admin reads the warning; the next goes.
 */
export function useSpaceNeed(draft: BackupDraft, ids: { applicationId: string; backupId?: string | undefined }) {
  const fields = backupFieldsFromDraft(draft);
  // Debounced as a string: an object is new on every render, and its timer would restart with each of them.
  const debounced = useDebouncedValue(
    JSON.stringify({
      applicationId: ids.applicationId,
      backupId: ids.backupId ?? null,
      sourcePvcName: isDatabaseFunction(draft.kind) ? null : draft.sourcePvcName || null,
      functionKind: draft.kind,
      format: draft.format,
      volumeId: draft.volumeId || null,
      schedule: fields.schedule,
      timeZone: fields.timeZone,
      retention: fields.retention,
    }),
    400,
  );
  const input = JSON.parse(debounced) as BackupSpaceEstimateInput;
  const ready = input.schedule !== "" && input.timeZone !== "";
  const { data, previousData } = useQuery(
    BackupSpaceEstimateQuery,
    ready ? { variables: { input }, fetchPolicy: "cache-and-network" } : skipToken,
  );
  const estimate = ready ? ((data ?? previousData)?.backupSpaceEstimate ?? null) : null;
  const [acknowledged, setAcknowledged] = useState<string | null>(null);
  const [held, setHeld] = useState(0);
  const warning = estimate?.warning ?? null;
  return {
    estimate,
    /** Whether the save may go ahead: false once for each new warning, which is then brought to the admin's eye. */
    maySave(): boolean {
      if (!warning || acknowledged === warning) return true;
      setAcknowledged(warning);
      setHeld((n) => n + 1);
      return false;
    },
    held: warning && acknowledged === warning ? held : 0,
  };
}

export function SpaceNeed({ space }: { space: ReturnType<typeof useSpaceNeed> }) {
  const { estimate, held } = space;
  const warningRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (held) warningRef.current?.focus();
  }, [held]);
  if (!estimate) return null;
  return (
    <section className="space-need" aria-label="Space this backup will need" data-testid="space-need">
      <p>
        <strong>Space it will need:</strong> <span data-testid="space-need-summary">{estimate.summary}</span>
        {estimate.destinationWords ? (
          <>
            {" "}
            <span className="muted">against</span> <span data-testid="space-need-destination">{estimate.destinationWords}</span>.
          </>
        ) : null}
      </p>
      <p className="field-hint">{estimate.basisWords}</p>
      {estimate.warning && (
        <div ref={warningRef} tabIndex={-1} className="alert alert-warn" role="alert" data-testid="space-need-warning">
          {estimate.warning}
          {held ? " Save again to keep this choice." : ""}
        </div>
      )}
    </section>
  );
}
