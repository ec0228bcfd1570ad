import { useId, useState } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { Dialog } from "../../../components/ui/Dialog";
import { TypeToConfirmForm } from "../../../components/ui/TypeToConfirmForm";
import { DeleteBackupMutation } from "../graphql/backup-mutations";
import { DeleteBackupDialogQuery } from "../graphql/restore-point-queries";
import { removeBackupFromApplication } from "../utils/run-cache";

export interface DeleteBackupDialogProps {
  backup: { id: string; name: string; applicationId: string; cronJobName: string };
  onClose: () => void;
}

const points = (n: number) => `${n} restore point${n === 1 ? "" : "s"}`;

export function DeleteBackupDialog({ backup, onClose }: DeleteBackupDialogProps) {
  const choiceName = useId();
  // Keeping is the default: a deleted Backup's snapshots stay listed and restorable.
  const [keep, setKeep] = useState(true);
  const { data } = useQuery(DeleteBackupDialogQuery, { variables: { id: backup.id }, fetchPolicy: "network-only" });
  const count = data?.backup.restorePointCount ?? null;
  const plain = data?.backup.format === "PLAIN";
  const [deleteBackup, { loading }] = useMutation(DeleteBackupMutation, {
    update(cache, { data: result }) {
      const deleted = result?.deleteBackup;
      if (deleted) removeBackupFromApplication(cache, { id: deleted.id, applicationId: backup.applicationId });
    },
    refetchQueries: ["ApplicationBackupsPage", "ApplicationRestorePoints"],
  });

  return (
    <Dialog title={`Delete ${backup.name}`} onClose={onClose} size="sm" testId="delete-backup-dialog">
      <TypeToConfirmForm
        confirmText={backup.name}
        submitLabel={keep ? "Delete backup" : "Delete backup and restore points"}
        busy={loading}
        onConfirm={() => deleteBackup({ variables: { id: backup.id, keepRestorePoints: keep } })}
        onClose={onClose}
      >
        <div className="alert alert-warn">
          This removes the backup and its CronJob <code>{backup.cronJobName}</code>: no further runs will happen. The run history stays
          readable.
        </div>
        <fieldset className="plain-fieldset restore-points-choice" data-testid="restore-points-choice">
          <legend>{count === null ? "Its restore points" : count === 0 ? "It has no restore points" : `It has ${points(count)}`}</legend>
          <label className="radio-label">
            <input type="radio" name={choiceName} value="keep" checked={keep} onChange={() => setKeep(true)} />
            Keep {count ? `the ${points(count)}` : "them"}: they stay listed under Restore points and can be restored
          </label>
          <label className="radio-label">
            <input type="radio" name={choiceName} value="delete" checked={!keep} disabled={plain} onChange={() => setKeep(false)} />
            Delete {count ? `the ${points(count)}` : "them"} too: their snapshots are removed from the repository for good
          </label>
          {plain && <p className="field-hint">This backup writes plain files, so its snapshots can only be kept.</p>}
        </fieldset>
      </TypeToConfirmForm>
    </Dialog>
  );
}
