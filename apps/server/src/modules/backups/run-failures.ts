import type { BackupResult } from "@hks/backup-functions";
import type { BackupRunRecord } from "./backup.repository.js";

type FailureReason = NonNullable<BackupRunRecord["failureReason"]>;

/**
 * The reason a failed run is recorded with, and the sentence shown for it. For a repository that the key does not
 * open or that is damaged, the function's own message is kept after a sentence that says what to do.
 */
export function runFailure(result: BackupResult, fallback: string): { failureReason: FailureReason; message: string } {
  const detail = result.message || fallback;
  switch (result.reason) {
    case "QUOTA_EXCEEDED":
    case "SOURCE_MISSING":
      return { failureReason: result.reason, message: detail };
    case "KEY_INVALID":
      return {
        failureReason: "KEY_INVALID",
        message: `The repository key is missing or wrong, so nothing was read or written. HKS re-applies the workspace's key Secret (hks-repository-key) on its next pass; if this repository was made with another key, import it or restore it with that key. (${detail})`,
      };
    case "CORRUPT":
      return {
        failureReason: "CORRUPT",
        message: `The repository is damaged: some of its data does not read back. Keep the folder as it is, run a verification to see what is affected, and start a new repository folder for the next backups. (${detail})`,
      };
    default:
      return { failureReason: "ERROR", message: detail };
  }
}
