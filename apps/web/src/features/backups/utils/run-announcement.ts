import type { BackupFailureReason, BackupRunKind, BackupRunStatus } from "../../../gql/graphql";
import { RUN_KIND_LABEL, runOutcomeLabel } from "./run-status";

export interface RunAnnouncement {
  text: string;
  assertive: boolean;
}

/** What a screen reader hears when a run's status moves, e.g. "Restore run: Succeeded."; null when it did not move. */
export function runStatusAnnouncement(
  run: { kind: BackupRunKind; status: BackupRunStatus; failureReason?: BackupFailureReason | null | undefined },
  previous: BackupRunStatus | undefined,
): RunAnnouncement | null {
  if (previous === run.status) return null;
  return {
    text: `${RUN_KIND_LABEL[run.kind]} run: ${runOutcomeLabel(run.status, run.failureReason)}.`,
    assertive: run.status === "FAILED",
  };
}
