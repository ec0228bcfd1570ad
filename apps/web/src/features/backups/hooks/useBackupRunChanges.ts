import { useSubscription } from "@apollo/client/react";
import { BackupRunChangedSubscription } from "../graphql/backup-subscription";
import { upsertRunInBackup } from "../utils/run-cache";
import { isActiveRunStatus } from "../utils/run-status";
import { useBackupRefresh } from "./useBackupRefresh";

/**
 * Live runs of an application's backups: a changed run is normalized into the cache (its badge
 * moves at once), a new run joins its backup's list and becomes its lastRun; when a run ends, the
 * backup's derived fields (next run, prune preview, verify state of the source run) are re-read.
 */
export function useBackupRunChanges(applicationId: string) {
  const refreshBackup = useBackupRefresh();
  const { error } = useSubscription(BackupRunChangedSubscription, {
    variables: { applicationId },
    ignoreResults: true,
    onData: ({ client, data }) => {
      const run = data.data?.backupRunChanged;
      if (!run) return;
      upsertRunInBackup(client.cache, run);
      if (!isActiveRunStatus(run.status)) refreshBackup(run.backupId);
    },
  });
  return { live: !error, error };
}
