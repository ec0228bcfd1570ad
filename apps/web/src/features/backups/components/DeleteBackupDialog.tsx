import { useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { Dialog } from "../../../components/ui/Dialog";
import { FormErrors } from "../../../components/ui/FormErrors";
import { toUserErrors } from "../../../lib/graphql-errors";
import { DeleteBackupMutation } from "../graphql/backup-mutations";
import { removeBackupFromApplication } from "../utils/run-cache";

export interface DeleteBackupDialogProps {
  backup: { id: string; name: string; applicationId: string; cronJobName: string };
  onClose: () => void;
}

export function DeleteBackupDialog({ backup, onClose }: DeleteBackupDialogProps) {
  const confirmId = useId();
  const [typed, setTyped] = useState("");
  const [errors, setErrors] = useState<string[]>([]);
  const inFlight = useRef(false);
  const [deleteBackup, { loading }] = useMutation(DeleteBackupMutation, {
    update(cache, { data }) {
      const deleted = data?.deleteBackup;
      if (deleted) removeBackupFromApplication(cache, { id: deleted.id, applicationId: backup.applicationId });
    },
    refetchQueries: ["ApplicationBackupsPage"],
  });
  const matches = typed === backup.name;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!matches || inFlight.current) return;
    inFlight.current = true;
    try {
      await deleteBackup({ variables: { id: backup.id } });
      onClose();
    } catch (err) {
      setErrors(toUserErrors(err).map((x) => x.message));
    } finally {
      inFlight.current = false;
    }
  }

  return (
    <Dialog title={`Delete ${backup.name}`} onClose={onClose} size="sm" testId="delete-backup-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormErrors messages={errors} />
        <div className="alert alert-warn">
          This removes the backup and its CronJob <code>{backup.cronJobName}</code>: no further runs will happen. The
          snapshots already written stay on the volume, and the run history stays readable.
        </div>
        <div className="field">
          <label htmlFor={confirmId}>
            Type <code>{backup.name}</code> to confirm
          </label>
          <input
            id={confirmId}
            type="text"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            value={typed}
            onChange={(e) => {
              setTyped(e.target.value);
              setErrors([]);
            }}
          />
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-danger" disabled={!matches || loading}>
            {loading ? "Deleting…" : "Delete backup"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
