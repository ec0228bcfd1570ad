import { useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { useInvalidFieldFocus } from "../../../components/a11y/useInvalidFieldFocus";
import { Dialog } from "../../../components/ui/Dialog";
import { FormErrors } from "../../../components/ui/FormErrors";
import { FormField } from "../../../components/ui/FormField";
import { splitErrorsByField, toUserErrors } from "../../../lib/graphql-errors";
import { formatGiB } from "../../storage/utils/size";
import { RestoreBackupRunMutation } from "../graphql/backup-mutations";
import { upsertRunInBackup } from "../utils/run-cache";
import { setLastRestore } from "../utils/restore-point-cache";
import { formatDateTime } from "../utils/time";
import type { RestoreSource } from "../../../gql/graphql";
import { RestoreSourceField } from "./RestoreSourceField";
import type { RunRow } from "./RunsTable";

export interface RestoreRunDialogProps {
  run: RunRow;
  namespace: string;
  /** Claims that may be restored into (no Storage Volume claims). */
  claims: readonly { name: string; capacityGiB?: number | null; storageClassName?: string | null }[];
  storageClasses: readonly string[];
  onClose: () => void;
}

const SERVER_FIELDS = ["targetPvcName", "targetSizeGiB", "targetStorageClassName", "overwrite", "createTarget", "source"];

type Mode = "existing" | "new";

function validate(mode: Mode, existing: string, newName: string, size: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (mode === "existing") {
    if (!existing) errors["targetPvcName"] = "Choose the claim to restore into.";
  } else {
    if (!newName) errors["targetPvcName"] = "Give the new claim a name.";
    else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(newName) || newName.length > 253) {
      errors["targetPvcName"] = "The claim name uses lowercase letters, digits and '-', starting and ending with a letter or digit.";
    }
    if (!/^\d+$/.test(size.trim()) || Number(size) < 1)
      errors["targetSizeGiB"] = "Give the new claim's size: a whole number of GiB, at least 1.";
  }
  return errors;
}

export function RestoreRunDialog({ run, namespace, claims, storageClasses, onClose }: RestoreRunDialogProps) {
  const modeName = useId();
  const overwriteId = useId();
  const [mode, setMode] = useState<Mode>(claims.length > 0 ? "existing" : "new");
  const [existing, setExisting] = useState("");
  const [overwrite, setOverwrite] = useState(false);
  const [newName, setNewName] = useState("");
  const [size, setSize] = useState("");
  const [storageClass, setStorageClass] = useState("");
  const hasCopy = run.copy?.status === "COPIED";
  const [source, setSource] = useState<RestoreSource>("PRIMARY");
  const [attempted, setAttempted] = useState(false);
  const [server, setServer] = useState<{ byField: Record<string, string>; general: string[] }>({ byField: {}, general: [] });
  const inFlight = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const refused = useInvalidFieldFocus(formRef);
  const [restore, { loading }] = useMutation(RestoreBackupRunMutation, {
    update(cache, { data }) {
      const r = data?.restoreBackupRun;
      if (r) upsertRunInBackup(cache, r);
      if (r) setLastRestore(cache, { ...r, sourceRunId: run.id });
    },
  });

  const clientErrors = validate(mode, existing, newName.trim(), size);
  const err = (key: string) => (attempted ? clientErrors[key] : undefined) ?? server.byField[key] ?? null;

  function edited() {
    setServer({ byField: {}, general: [] });
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    if (inFlight.current) return;
    if (Object.keys(clientErrors).length > 0) return refused();
    inFlight.current = true;
    try {
      await restore({
        variables: {
          input:
            mode === "existing"
              ? { runId: run.id, targetPvcName: existing, createTarget: false, overwrite, source }
              : {
                  runId: run.id,
                  targetPvcName: newName.trim(),
                  createTarget: true,
                  overwrite: false,
                  targetSizeGiB: Number(size),
                  targetStorageClassName: storageClass || null,
                  source,
                },
        },
      });
      onClose();
    } catch (caught) {
      setServer(splitErrorsByField(toUserErrors(caught), SERVER_FIELDS));
      refused();
    } finally {
      inFlight.current = false;
    }
  }

  const targetError = err("targetPvcName");

  return (
    <Dialog
      title={`Restore ${run.snapshot ?? "snapshot"}`}
      onClose={onClose}
      size="md"
      testId="restore-run-dialog"
      description={`Copies the snapshot written ${formatDateTime(run.finishedAt ?? run.startedAt ?? run.scheduledAt)} back into a claim of namespace ${namespace}. The restore shows up as a run.`}
    >
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
        <FormErrors messages={server.general} />
        {hasCopy && (
          <RestoreSourceField
            value={source}
            onChange={(next) => {
              setSource(next);
              edited();
            }}
            error={err("source")}
          />
        )}
        <fieldset className="plain-fieldset">
          <legend>Restore into</legend>
          <label className="radio-label">
            <input
              type="radio"
              name={modeName}
              value="existing"
              checked={mode === "existing"}
              disabled={claims.length === 0}
              onChange={() => {
                setMode("existing");
                edited();
              }}
            />
            An existing claim
          </label>
          <label className="radio-label">
            <input
              type="radio"
              name={modeName}
              value="new"
              checked={mode === "new"}
              onChange={() => {
                setMode("new");
                edited();
              }}
            />
            A new claim
          </label>
        </fieldset>

        {mode === "existing" ? (
          <>
            <FormField label="Target claim" error={targetError}>
              {(control) => (
                <select
                  {...control}
                  value={existing}
                  autoFocus
                  onChange={(e) => {
                    setExisting(e.target.value);
                    edited();
                  }}
                >
                  <option value="">Choose a claim…</option>
                  {claims.map((c) => (
                    <option key={c.name} value={c.name}>
                      {c.name}
                      {c.capacityGiB != null ? ` (${formatGiB(c.capacityGiB)})` : ""}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
            <div className="field checkbox-field">
              <label htmlFor={overwriteId} className="checkbox-label">
                <input
                  id={overwriteId}
                  type="checkbox"
                  checked={overwrite}
                  aria-describedby={`${overwriteId}-hint`}
                  onChange={(e) => {
                    setOverwrite(e.target.checked);
                    edited();
                  }}
                />
                Overwrite what the claim holds
              </label>
              <p id={`${overwriteId}-hint`} className="field-hint">
                Without this, a claim that is not empty is refused. With it, the claim&apos;s current files are replaced by the
                snapshot&apos;s; stop the application first.
              </p>
              {err("overwrite") && <p className="field-error">{err("overwrite")}</p>}
            </div>
          </>
        ) : (
          <>
            <FormField label="New claim name" error={targetError} hint={`Created in ${namespace}; it must not exist yet.`}>
              {(control) => (
                <input
                  {...control}
                  type="text"
                  autoComplete="off"
                  spellCheck={false}
                  autoFocus
                  value={newName}
                  onChange={(e) => {
                    setNewName(e.target.value);
                    edited();
                  }}
                />
              )}
            </FormField>
            <div className="field-row">
              <FormField label="Size (GiB)" error={err("targetSizeGiB")}>
                {(control) => (
                  <input
                    {...control}
                    type="number"
                    min={1}
                    step={1}
                    inputMode="numeric"
                    value={size}
                    onChange={(e) => {
                      setSize(e.target.value);
                      edited();
                    }}
                  />
                )}
              </FormField>
              <FormField label="StorageClass (optional)" error={err("targetStorageClassName")}>
                {(control) => (
                  <select
                    {...control}
                    value={storageClass}
                    onChange={(e) => {
                      setStorageClass(e.target.value);
                      edited();
                    }}
                  >
                    <option value="">Namespace default</option>
                    {storageClasses.map((s) => (
                      <option key={s} value={s}>
                        {s}
                      </option>
                    ))}
                  </select>
                )}
              </FormField>
            </div>
          </>
        )}

        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={mode === "existing" && overwrite ? "btn btn-danger" : "btn btn-primary"} disabled={loading}>
            {loading ? "Starting restore…" : "Restore"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
