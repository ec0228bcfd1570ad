import { resticDetails, type BackupResult } from "@hks/backup-functions";
import type { BackupRunRecord } from "./backup.repository.js";

export interface ResticFigures {
  bytesRead: number;
  bytesAdded: number;
  filesNew: number;
  filesChanged: number;
  filesUnmodified: number;
}

/** restic's figures of a backup run, from the result line kept on the run; null for plain-format and other runs. */
export function resticFigures(run: Pick<BackupRunRecord, "result">): ResticFigures | null {
  const result = run.result as unknown as BackupResult | null;
  if (!result || result.format !== "restic") return null;
  const details = resticDetails({ ...result, details: result.details ?? {} });
  if (details?.kind !== "backup") return null;
  return {
    bytesRead: details.bytesRead,
    bytesAdded: result.bytes ?? 0,
    filesNew: details.filesNew,
    filesChanged: details.filesChanged,
    filesUnmodified: details.filesUnmodified,
  };
}
