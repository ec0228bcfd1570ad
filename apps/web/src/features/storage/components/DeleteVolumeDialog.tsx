import { useMutation, useQuery } from "@apollo/client/react";
import { Link } from "react-router";
import { Dialog } from "../../../components/ui/Dialog";
import { TypeToConfirmForm } from "../../../components/ui/TypeToConfirmForm";
import { VolumeBackupWritersQuery } from "../graphql/volume-backup-writers";
import { VolumeRestorePointHoldingsQuery } from "../../backups/graphql/restore-point-queries";
import { formatDateTime } from "../../backups/utils/time";
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
  const held = useQuery(VolumeRestorePointHoldingsQuery, { variables: { workspaceId, volumeId: volume.id }, fetchPolicy: "network-only" });
  const holdings = held.data?.workspace.storageVolume?.restorePointHoldings ?? [];
  const total = holdings.reduce((n, h) => n + h.count, 0);

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
          // Typing the name with the restore points listed above is the confirmation the server asks for.
          await deleteVolume({ variables: { id: volume.id, confirmRestorePoints: total > 0 } });
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
        {total > 0 && (
          <div className="alert alert-warn" data-testid="volume-restore-points">
            <p>
              <strong>
                It holds {total} restore point{total === 1 ? "" : "s"}
              </strong>
              , deleted with it:
            </p>
            <ul>
              {holdings.map((h) => (
                <li key={h.backupId}>
                  {h.backupName}
                  {h.applicationName
                    ? ` (${h.applicationName}${h.deleted ? ", deleted backup" : ""})`
                    : h.deleted
                      ? " (deleted backup)"
                      : ""}
                  : {h.count}, newest {formatDateTime(h.newest)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </TypeToConfirmForm>
    </Dialog>
  );
}
