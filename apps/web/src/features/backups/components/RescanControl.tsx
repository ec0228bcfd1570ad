import { useEffect, useId, useRef, useState } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { FormErrors } from "../../../components/ui/FormErrors";
import { Spinner } from "../../../components/ui/Spinner";
import { toUserErrors } from "../../../lib/graphql-errors";
import { useFragment } from "../../../gql";
import { VolumePicker, type PickerVolume } from "../../storage/components/VolumePicker";
import { CatalogJobFieldsFragment, CatalogJobQuery, RescanStorageVolumeMutation } from "../graphql/restore-point-queries";
import { BackupVolumeChoicesQuery } from "../graphql/volume-choices";

export interface RescanControlProps {
  workspaceId: string;
  /** The volume to rescan; without it, any available volume of the workspace (a picker when there are several). */
  volume?: { id: string; name: string };
  /** Called once when a rescan has finished (the restore points list is read again). */
  onFinished: () => void;
}

const FINAL = new Set(["SUCCEEDED", "FAILED"]);

/** "Rescan": rebuilds the restore points of a volume from its repositories, with progress and the outcome in words. */
export function RescanControl({ workspaceId, volume, onFinished }: RescanControlProps) {
  const selectId = useId();
  const { data: choices } = useQuery(BackupVolumeChoicesQuery, { variables: { workspaceId }, skip: Boolean(volume) });
  const page = choices?.workspace.storageVolumePage;
  const only = volume ?? (page?.totalCount === 1 ? page.nodes[0] : undefined);
  const [picked, setPicked] = useState("");
  const [pickedVolume, setPickedVolume] = useState<PickerVolume | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [rescan, { loading: starting }] = useMutation(RescanStorageVolumeMutation);
  const { data } = useQuery(CatalogJobQuery, {
    variables: { id: jobId ?? "" },
    skip: !jobId,
    pollInterval: 1500,
    fetchPolicy: "network-only",
  });
  const job = useFragment(CatalogJobFieldsFragment, data?.catalogJob);
  const done = job ? FINAL.has(job.status) : false;
  const announced = useRef<string | null>(null);

  useEffect(() => {
    if (job && done && announced.current !== job.id) {
      announced.current = job.id;
      onFinished();
    }
  }, [job, done, onFinished]);

  if (!only && (!page || page.totalCount === 0)) return null;
  const chosenId = only?.id ?? picked;
  const running = starting || (jobId !== null && !done);

  async function start() {
    setErrors([]);
    if (!chosenId) return setErrors(["Choose the volume whose repositories to rescan."]);
    try {
      const result = await rescan({ variables: { volumeId: chosenId } });
      setJobId(result.data?.rescanStorageVolume.id ?? null);
    } catch (err) {
      setErrors(toUserErrors(err).map((e) => e.message));
    }
  }

  return (
    <div className="rescan-control" data-testid="rescan-control">
      <div className="rescan-row">
        {!only && (
          <>
            <label htmlFor={selectId} className="small">
              Volume
            </label>
            <VolumePicker
              id={selectId}
              workspaceId={workspaceId}
              value={picked}
              disabled={running}
              onChange={setPicked}
              onChosen={setPickedVolume}
            />
          </>
        )}
        <button
          type="button"
          className="btn btn-small"
          disabled={running}
          onClick={() => void start()}
          aria-describedby={`${selectId}-hint`}
        >
          {running ? "Rescanning…" : only ? `Rescan ${only.name}` : "Rescan"}
        </button>
      </div>
      <p id={`${selectId}-hint`} className="field-hint">
        Reads the restic repositories on the volume and records every snapshot HKS lost track of (for example after the HKS database was
        restored from an older dump).
      </p>
      <FormErrors messages={errors} />
      <p role="status" aria-live="polite" className={`small ${job?.status === "FAILED" ? "text-warn" : ""}`} data-testid="rescan-status">
        {running && (
          <>
            <Spinner /> Rescanning {only?.name ?? pickedVolume?.name ?? "the volume"}: reading its repositories…
          </>
        )}
        {job && done && (job.status === "SUCCEEDED" ? job.message : `The rescan failed: ${job.message ?? "no reason was given"}`)}
      </p>
    </div>
  );
}
