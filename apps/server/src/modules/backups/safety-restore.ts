import { conflict, invalidInput } from "../../kernel/errors.js";
import type { BackupRecord, BackupRepository, BackupRunRecord } from "./backup.repository.js";

/** The safety snapshot a failed overwrite restore took before it replaced anything, if it took one. */
export function safetySnapshotOf(run: Pick<BackupRunRecord, "kind" | "result">): string | null {
  if (run.kind !== "RESTORE") return null;
  const details = (run.result as { details?: { safetySnapshot?: unknown } } | null)?.details;
  return typeof details?.safetySnapshot === "string" && /^[0-9a-f]{8,64}$/.test(details.safetySnapshot) ? details.safetySnapshot : null;
}

/** What "put back what was there" restores: the failed restore's safety snapshot, into the claim it failed on. */
export function putBackTarget(run: BackupRunRecord): { snapshot: string; claim: string } {
  const snapshot = safetySnapshotOf(run);
  if (run.kind !== "RESTORE" || run.status !== "FAILED" || !snapshot || !run.restoreTarget)
    throw invalidInput(
      "runId",
      "Only a failed overwrite restore that took a safety snapshot can be put back; this run has none (nothing was replaced).",
    );
  const claim = run.restoreTarget.split("/")[1];
  if (!claim) throw invalidInput("runId", `The run does not say which claim it restored into ('${run.restoreTarget}').`);
  return { snapshot, claim };
}

/**
 * An overwrite restore replaces what a running backup, restore or check is reading or writing: refused until it ends,
 * with nothing changed.
 */
export async function refuseWhileRunning(repo: BackupRepository, backup: BackupRecord): Promise<void> {
  const active = await repo.activeRuns(backup.id);
  if (active.length === 0) return;
  const what = active.map((r) => `${r.kind.toLowerCase()} ${r.jobName ?? r.id}`).join(", ");
  throw conflict(
    `A Job of '${backup.name}' is running (${what}); an overwrite restore would replace data it is using. Wait for it to finish, then restore; nothing was changed.`,
  );
}
