import { useMutation } from "@apollo/client/react";
import { Dialog } from "../../../components/ui/Dialog";
import { TypeToConfirmForm } from "../../../components/ui/TypeToConfirmForm";
import { DeleteBackupMutation } from "../graphql/backup-mutations";
import { removeBackupFromApplication } from "../utils/run-cache";

export interface DeleteBackupDialogProps {
  backup: { id: string; name: string; applicationId: string; cronJobName: string };
  onClose: () => void;
}

export function DeleteBackupDialog({ backup, onClose }: DeleteBackupDialogProps) {
  const [deleteBackup, { loading }] = useMutation(DeleteBackupMutation, {
    update(cache, { data }) {
      const deleted = data?.deleteBackup;
      if (deleted) removeBackupFromApplication(cache, { id: deleted.id, applicationId: backup.applicationId });
    },
    refetchQueries: ["ApplicationBackupsPage"],
  });

  return (
    <Dialog title={`Delete ${backup.name}`} onClose={onClose} size="sm" testId="delete-backup-dialog">
      <TypeToConfirmForm
        confirmText={backup.name}
        submitLabel="Delete backup"
        busy={loading}
        onConfirm={() => deleteBackup({ variables: { id: backup.id } })}
        onClose={onClose}
      >
        <div className="alert alert-warn">
          This removes the backup and its CronJob <code>{backup.cronJobName}</code>: no further runs will happen. The snapshots already
          written stay on the volume, and the run history stays readable.
        </div>
      </TypeToConfirmForm>
    </Dialog>
  );
}
