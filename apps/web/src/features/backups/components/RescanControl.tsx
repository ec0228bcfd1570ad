import { useEffect, useId, useRef, useState } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { FormErrors } from "../../../components/ui/FormErrors";
import { Spinner } from "../../../components/ui/Spinner";
import { toUserErrors } from "../../../lib/graphql-errors";
import { useFragment } from "../../../gql";
import { CatalogJobFieldsFragment, CatalogJobQuery, RescanStorageVolumeMutation } from "../graphql/restore-point-queries";

export interface RescanControlProps {
  /** The volumes whose repositories can be rescanned; a select is shown when there are several. */
  volumes: readonly { id: string; name: string }[];
  /** Called once when a rescan has finished (the restore points list is read again). */
  onFinished: () => void;
}

const FINAL = new Set(["SUCCEEDED", "FAILED"]);

/** "Rescan": rebuilds the restore points of a volume from its repositories, with progress and the outcome in words. */
export function RescanControl({ volumes, onFinished }: RescanControlProps) {
  const selectId = useId();
  const [volumeId, setVolumeId] = useState(volumes[0]?.id ?? "");
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

  if (volumes.length === 0) return null;
  const chosen = volumes.find((v) => v.id === volumeId) ?? volumes[0]!;
  const running = starting || (jobId !== null && !done);

  async function start() {
    setErrors([]);
    try {
      const result = await rescan({ variables: { volumeId: chosen.id } });
      setJobId(result.data?.rescanStorageVolume.id ?? null);
    } catch (err) {
      setErrors(toUserErrors(err).map((e) => e.message));
    }
  }

  return (
    <div className="rescan-control" data-testid="rescan-control">
      <div className="rescan-row">
        {volumes.length > 1 && (
          <>
            <label htmlFor={selectId} className="small">
              Volume
            </label>
            <select id={selectId} value={chosen.id} disabled={running} onChange={(e) => setVolumeId(e.target.value)}>
              {volumes.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.name}
                </option>
              ))}
            </select>
          </>
        )}
        <button
          type="button"
          className="btn btn-small"
          disabled={running}
          onClick={() => void start()}
          aria-describedby={`${selectId}-hint`}
        >
          {running ? "Rescanning…" : volumes.length > 1 ? "Rescan" : `Rescan ${chosen.name}`}
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
            <Spinner /> Rescanning {chosen.name}: reading its repositories…
          </>
        )}
        {job && done && (job.status === "SUCCEEDED" ? job.message : `The rescan failed: ${job.message ?? "no reason was given"}`)}
      </p>
    </div>
  );
}
