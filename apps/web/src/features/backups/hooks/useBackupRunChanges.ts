import { useRef } from "react";
import { useSubscription } from "@apollo/client/react";
import type { BackupFailureReason, BackupRunStatus } from "../../../gql/graphql";
import { useAnnounce } from "../../../components/a11y/useAnnounce";
import { runStatusAnnouncement } from "../utils/run-announcement";
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
  const announce = useAnnounce();
  // The last status heard of each run: a repeated event (a reconnect) is not said twice.
  const heard = useRef(new Map<string, BackupRunStatus>());
  const { error } = useSubscription(BackupRunChangedSubscription, {
    variables: { applicationId },
    ignoreResults: true,
    onData: ({ client, data }) => {
      const run = data.data?.backupRunChanged;
      if (!run) return;
      const said = runStatusAnnouncement(
        {
          kind: run.kind,
          status: run.status,
          failureReason: (run as unknown as { failureReason?: BackupFailureReason | null }).failureReason,
        },
        heard.current.get(run.id),
      );
      heard.current.set(run.id, run.status);
      if (said) {
        announce(said.text, {
          politeness: said.assertive ? "assertive" : "polite",
          group: said.assertive ? undefined : "run-status",
          summary: (n) => `${n} runs changed status.`,
          key: run.id,
        });
      }
      upsertRunInBackup(client.cache, run);
      if (!isActiveRunStatus(run.status)) refreshBackup(run.backupId);
    },
  });
  return { live: !error, error };
}
