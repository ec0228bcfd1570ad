import { useMutation, useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { Dialog } from "../../../components/ui/Dialog";
import { TypeToConfirmForm } from "../../../components/ui/TypeToConfirmForm";
import { VolumeBackupWritersQuery } from "../graphql/volume-backup-writers";
import { DeleteStorageVolumeMutation } from "../graphql/volume-mutations";
import { useStorageSummaryRefresh } from "../hooks/useStorageSummaryRefresh";
import { formatMoney } from "../utils/money";
import { formatGiB } from "../utils/size";

export interface DeleteVolumeDialogProps {
  workspaceId: string;
  volume: { id: string; name: string; sizeGiB: number; monthlyCost: number; currency: string; persistentVolumeName?: string | null };
  onClose: () => void;
}

export function DeleteVolumeDialog({ workspaceId, volume, onClose }: DeleteVolumeDialogProps) {
  const refreshSummary = useStorageSummaryRefresh(workspaceId, 0);
  const [deleteVolume, { loading }] = useMutation(DeleteStorageVolumeMutation);
  const { data } = useQuery(VolumeBackupWritersQuery, {
    variables: { workspaceId, volumeId: volume.id },
    fetchPolicy: "network-only",
  });
  const writers = data?.workspace.storageVolume?.backupWriters ?? [];

  if (writers.length > 0) {
    // Said before anyone types the name: the server would refuse the deletion anyway.
    return (
      <Dialog title={`Delete ${volume.name}`} onClose={onClose} size="sm" testId="delete-volume-dialog">
        <div className="alert alert-warn" data-testid="volume-has-backup-writers">
          <p>
            {volume.name} cannot be deleted while {writers.length === 1 ? "a backup writes" : "backups write"} into it. Delete the backup or
            point it at another volume first:
          </p>
          <ul>
            {writers.map((b) => (
              <li key={b.id}>
                <Link to={`/w/${workspaceId}/applications/${b.applicationId}/backups?backup=${b.id}`} onClick={onClose}>
                  {b.name}
                </Link>
              </li>
            ))}
          </ul>
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Close
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={`Delete ${volume.name}`} onClose={onClose} size="sm" testId="delete-volume-dialog">
      <TypeToConfirmForm
        confirmText={volume.name}
        submitLabel="Delete volume"
        busy={loading}
        onConfirm={async () => {
          await deleteVolume({ variables: { id: volume.id } });
          refreshSummary();
        }}
        onClose={onClose}
      >
        <div className="alert alert-warn">
          This permanently deletes the volume ({formatGiB(volume.sizeGiB)})
          {volume.persistentVolumeName ? (
            <>
              {" "}
              and its PersistentVolume <code>{volume.persistentVolumeName}</code>
            </>
          ) : null}{" "}
          with all its data. It cannot be undone. Your bill goes down by {formatMoney(volume.monthlyCost, volume.currency)} / month.
        </div>
      </TypeToConfirmForm>
    </Dialog>
  );
}
