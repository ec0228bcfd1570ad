import { useId, useState } from "react";
import type { FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { useAnnounce } from "../../../components/a11y/useAnnounce";
import { FormErrors } from "../../../components/ui/FormErrors";
import { FormField } from "../../../components/ui/FormField";
import { splitErrorsByField, toUserErrors } from "../../../lib/graphql-errors";
import { RestoreSnapshotPathsMutation } from "../graphql/snapshot-browse";
import { upsertRunInBackup } from "../utils/run-cache";
import { intoFolderProblem } from "./paths";

export interface SnapshotRestoreFormProps {
  runId: string;
  claimName: string;
  paths: readonly string[];
  onClear: () => void;
  onStarted: () => void;
}

type Where = "place" | "folder";

/** Restores the chosen entries into the backup's claim: back to their place (overwrite asked for) or into a folder. */
export function SnapshotRestoreForm({ runId, claimName, paths, onClear, onStarted }: SnapshotRestoreFormProps) {
  const announce = useAnnounce();
  const whereName = useId();
  const overwriteId = useId();
  const [where, setWhere] = useState<Where>("place");
  const [into, setInto] = useState("");
  const [overwrite, setOverwrite] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [server, setServer] = useState<{ byField: Record<string, string>; general: string[] }>({ byField: {}, general: [] });
  const [restore, { loading }] = useMutation(RestoreSnapshotPathsMutation, {
    update(cache, { data }) {
      const r = data?.restoreSnapshotPaths;
      if (r) upsertRunInBackup(cache, r);
    },
  });
  const intoError = (attempted && where === "folder" ? intoFolderProblem(into) : null) ?? server.byField["into"] ?? null;
  const nothing = paths.length === 0;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    if (nothing || (where === "folder" && intoFolderProblem(into))) return;
    try {
      await restore({
        variables: { input: { runId, paths: [...paths], into: where === "folder" ? into.trim() : null, overwrite } },
      });
      announce(`Restore of ${paths.length === 1 ? paths[0] : `${paths.length} entries`} started; it shows in the runs.`);
      onStarted();
    } catch (caught) {
      setServer(splitErrorsByField(toUserErrors(caught), ["into", "overwrite"]));
    }
  }

  return (
    <form className="snapshot-restore" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${whereName}-title`}>
      <h3 id={`${whereName}-title`}>
        Restore {nothing ? "chosen entries" : paths.length === 1 ? <span className="mono">{paths[0]}</span> : `${paths.length} entries`}{" "}
        into <span className="mono">{claimName}</span>
      </h3>
      {nothing && <p className="muted small">Tick files or folders above to restore them.</p>}
      <FormErrors messages={server.general} />
      <fieldset className="plain-fieldset">
        <legend>Where</legend>
        <label className="radio-label">
          <input type="radio" name={whereName} value="place" checked={where === "place"} onChange={() => setWhere("place")} />
          To their place in the claim
        </label>
        <label className="radio-label">
          <input type="radio" name={whereName} value="folder" checked={where === "folder"} onChange={() => setWhere("folder")} />
          Into a folder of the claim
        </label>
      </fieldset>
      {where === "folder" && (
        <FormField label="Folder of the claim" error={intoError} hint="Created if missing; each entry keeps its path below it.">
          {(control) => (
            <input {...control} type="text" autoComplete="off" spellCheck={false} value={into} onChange={(e) => setInto(e.target.value)} />
          )}
        </FormField>
      )}
      <div className="field checkbox-field">
        <label htmlFor={overwriteId} className="checkbox-label">
          <input
            id={overwriteId}
            type="checkbox"
            checked={overwrite}
            aria-describedby={`${overwriteId}-hint`}
            onChange={(e) => setOverwrite(e.target.checked)}
          />
          Overwrite what is in the way
        </label>
        <p id={`${overwriteId}-hint`} className="field-hint">
          Without this, a restore that would replace a file is refused. With it, what is replaced is kept in a safety snapshot first.
        </p>
      </div>
      <div className="dialog-actions">
        {!nothing && (
          <button type="button" className="btn" onClick={onClear}>
            Clear choice
          </button>
        )}
        <button
          type="submit"
          className={overwrite ? "btn btn-danger" : "btn btn-primary"}
          disabled={loading || nothing}
          data-testid="snapshot-restore-submit"
        >
          {loading ? "Starting restore…" : "Restore"}
        </button>
      </div>
    </form>
  );
}
