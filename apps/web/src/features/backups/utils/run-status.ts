import type { BackupFailureReason, BackupRunKind, BackupRunStatus, BackupRunTrigger, VerifyState } from "../../../gql/graphql";

/** Colour family of a badge: green only for success; amber for "look at this"; red for failures. */
export type Tone = "ok" | "warn" | "danger" | "busy" | "neutral";

export const RUN_STATUS_LABEL: Record<BackupRunStatus, string> = {
  SCHEDULED: "Scheduled",
  RUNNING: "Running",
  SUCCEEDED: "Succeeded",
  PARTIALLY_SUCCEEDED: "Partially succeeded",
  FAILED: "Failed",
  MISSED: "Missed",
};

const RUN_STATUS_TONE: Record<BackupRunStatus, Tone> = {
  SCHEDULED: "neutral",
  RUNNING: "busy",
  SUCCEEDED: "ok",
  PARTIALLY_SUCCEEDED: "warn",
  FAILED: "danger",
  // A run that should have happened and did not is never good news.
  MISSED: "warn",
};

export function runStatusTone(status: BackupRunStatus): Tone {
  return RUN_STATUS_TONE[status];
}

export function isActiveRunStatus(status: BackupRunStatus): boolean {
  return status === "SCHEDULED" || status === "RUNNING";
}

export const FAILURE_REASON_TEXT: Record<BackupFailureReason, string> = {
  QUOTA_EXCEEDED: "destination full",
  SOURCE_MISSING: "source missing",
  TIMEOUT: "timed out",
  UNSCHEDULABLE: "could not be scheduled",
  KEY_INVALID: "repository key missing or wrong",
  CORRUPT: "repository damaged",
  ERROR: "error",
};

/** The outcome in words, e.g. "Succeeded", "Missed", "Failed — destination full". */
export function runOutcomeLabel(status: BackupRunStatus, failureReason?: BackupFailureReason | null): string {
  const label = RUN_STATUS_LABEL[status];
  if (status === "FAILED" && failureReason) return `${label} — ${FAILURE_REASON_TEXT[failureReason]}`;
  return label;
}

export const RUN_KIND_LABEL: Record<BackupRunKind, string> = {
  BACKUP: "Backup",
  RESTORE: "Restore",
  VERIFY: "Verify",
};

export const RUN_TRIGGER_LABEL: Record<BackupRunTrigger, string> = {
  SCHEDULE: "Schedule",
  MANUAL: "Manual",
};

export const VERIFY_STATE_LABEL: Record<VerifyState, string> = {
  NOT_VERIFIED: "Not verified",
  VERIFYING: "Verifying",
  VERIFIED: "Verified",
  FAILED: "Verification failed",
};

const VERIFY_STATE_TONE: Record<VerifyState, Tone> = {
  NOT_VERIFIED: "neutral",
  VERIFYING: "busy",
  VERIFIED: "ok",
  FAILED: "danger",
};

export function verifyStateTone(state: VerifyState): Tone {
  return VERIFY_STATE_TONE[state];
}

export interface SnapshotRunLike {
  kind: BackupRunKind;
  status: BackupRunStatus;
  snapshot?: string | null;
  prunedAt?: string | null;
  verifyState?: VerifyState;
}

/**
 * Why a run's snapshot cannot be restored or verified, or null when it can: only a successful
 * backup run whose snapshot retention has not removed (the server's rule).
 */
export function snapshotUnavailableReason(run: SnapshotRunLike): string | null {
  if (run.kind !== "BACKUP") return "Only backup runs have a snapshot.";
  if (run.status !== "SUCCEEDED" && run.status !== "PARTIALLY_SUCCEEDED") {
    return "Only a successful backup run has a snapshot.";
  }
  if (!run.snapshot) return "This run has no snapshot.";
  if (run.prunedAt) return "Retention removed this snapshot.";
  return null;
}

/** Why "Verify" is unavailable for a run, or null when it is available. */
export function verifyUnavailableReason(run: SnapshotRunLike): string | null {
  const reason = snapshotUnavailableReason(run);
  if (reason) return reason;
  if (run.verifyState === "VERIFYING") return "A verification of this snapshot is in progress.";
  return null;
}
