import { useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { Dialog } from "../../../components/ui/Dialog";
import { FormErrors } from "../../../components/ui/FormErrors";
import { toUserErrors } from "../../../lib/graphql-errors";
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
  const confirmId = useId();
  const [typed, setTyped] = useState("");
  const [errors, setErrors] = useState<string[]>([]);
  const inFlight = useRef(false);
  const refreshSummary = useStorageSummaryRefresh(workspaceId, 0);
  const [deleteVolume, { loading }] = useMutation(DeleteStorageVolumeMutation);
  const matches = typed === volume.name;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!matches || inFlight.current) return;
    inFlight.current = true;
    try {
      await deleteVolume({ variables: { id: volume.id } });
      refreshSummary();
      onClose();
    } catch (err) {
      setErrors(toUserErrors(err).map((x) => x.message));
    } finally {
      inFlight.current = false;
    }
  }

  return (
    <Dialog title={`Delete ${volume.name}`} onClose={onClose} size="sm" testId="delete-volume-dialog">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormErrors messages={errors} />
        <div className="alert alert-warn">
          This permanently deletes the volume ({formatGiB(volume.sizeGiB)})
          {volume.persistentVolumeName ? <> and its PersistentVolume <code>{volume.persistentVolumeName}</code></> : null}{" "}
          with all its data. It cannot be undone. Your bill goes down by{" "}
          {formatMoney(volume.monthlyCost, volume.currency)} / month.
        </div>
        <div className="field">
          <label htmlFor={confirmId}>
            Type <code>{volume.name}</code> to confirm
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
            {loading ? "Deleting…" : "Delete volume"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
