import { useMutation } from "@apollo/client/react";
import { Dialog } from "../../../components/ui/Dialog";
import { TypeToConfirmForm } from "../../../components/ui/TypeToConfirmForm";
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
