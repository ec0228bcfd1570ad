import type { BackupRunRecord } from "../backups/backup.repository.js";

/** The failure reasons of a repository the admin must hear about at once: its data or its key is in doubt. */
export const REPOSITORY_FAILURES = ["CORRUPT", "KEY_INVALID"] as const;

/** What the assistant tells the admins when a backup's repository is damaged or its key does not open it. */
export function repositoryFailureWords(input: {
  backupName: string;
  applicationName: string;
  volumeName: string;
  path: string;
  run?: Pick<BackupRunRecord, "kind" | "jobName" | "sourceRunId"> | null;
  reason: string;
}): string {
  const what = !input.run
    ? "A run"
    : input.run.kind === "VERIFY"
      ? input.run.sourceRunId
        ? "A verification"
        : "The scheduled repository check"
      : input.run.kind === "RESTORE"
        ? "A restore"
        : "A backup run";
  const job = input.run?.jobName ? ` (${input.run.jobName})` : "";
  const where = `the repository of '${input.backupName}' (application '${input.applicationName}', folder ${input.path} on '${input.volumeName}')`;
  if (input.reason === "KEY_INVALID")
    return `${what}${job} could not open ${where}: the key is missing or wrong, so nothing was read or written. HKS puts the workspace's key Secret back on its next pass; if the repository was made with another key, restore that key. Until then no backup of '${input.backupName}' succeeds.`;
  return `${what}${job} found ${where} damaged: some of its data does not read back. Do not rely on its snapshots until it is repaired: restore what you need from an off-node copy if there is one, keep the folder as it is, run 'restic check' and 'restic repair' on it (or point the backup at a new folder), and check the disk of '${input.volumeName}'.`;
}
