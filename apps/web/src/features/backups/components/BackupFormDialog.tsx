import { useCallback, useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { useMutation } from "@apollo/client/react";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import type { ConcurrencyPolicy } from "../../../gql/graphql";
import { useInvalidFieldFocus } from "../../../components/a11y/useInvalidFieldFocus";
import { Dialog } from "../../../components/ui/Dialog";
import { FormErrors } from "../../../components/ui/FormErrors";
import { FormField } from "../../../components/ui/FormField";
import { splitErrorsByField, toUserErrors } from "../../../lib/graphql-errors";
import { formatGiB } from "../../storage/utils/size";
import { CreateBackupMutation, UpdateBackupMutation } from "../graphql/backup-mutations";
import { useSchedulePreview } from "../hooks/useSchedulePreview";
import {
  BACKUP_FORM_FIELDS,
  BACKUP_NAME_MAX_LENGTH,
  CONCURRENCY_EXPLANATION,
  CONCURRENCY_LABEL,
  CONCURRENCY_POLICIES,
  defaultBackupDraft,
  draftFromBackup,
  isDatabaseFunction,
  toCreateBackupInput,
  toUpdateBackupInput,
  validateBackupDraft,
  type BackupDraft,
} from "../utils/backup-form";
import { addBackupToApplication } from "../utils/run-cache";
import { browserTimeZone } from "../utils/time-zones";
import { COPY_FIELDS, copyCreateInput, copyUpdateInput, validateCopyDraft, type CopyDraft } from "../utils/off-node-copy";
import { FunctionFields } from "./FunctionFields";
import { OffNodeCopyFields } from "./OffNodeCopyFields";
import { RetentionFields } from "./RetentionFields";
import { RepositoryCheckFields } from "./RepositoryCheckFields";
import { ScheduleField } from "./ScheduleField";
import { SpaceNeed, useSpaceNeed } from "./SpaceNeed";
import { TimeZoneField } from "./TimeZoneField";
import { VolumePicker, type PickerVolume } from "../../storage/components/VolumePicker";

export const BackupFormDialog_BackupFragment = graphql(`
  fragment BackupFormDialog_BackupFragment on Backup {
    id
    name
    schedule
    timeZone
    concurrencyPolicy
    verifyAfterRun
    format
    source {
      pvcName
    }
    destination {
      volumeId
      path
    }
    function {
      kind
      compression
      image
      script
      database {
        host
        port
        name
        user
        passwordSecretName
        passwordSecretKey
      }
    }
    retention {
      keepLast
      keepDaily
      keepWeekly
      keepMonthly
    }
    check {
      schedule
      readDataSubset
    }
    copyDestination {
      volumeId
      path
    }
  }
`);

export interface BackupFormDialogProps {
  applicationId: string;
  applicationName: string;
  workspaceId: string;
  /** Claims that may be backed up (no Storage Volume claims). */
  claims: readonly { name: string; capacityGiB?: number | null; coveredByBackup: boolean }[];
  /** For a new backup: the claim to read from (e.g. "Back it up" on a restored claim). */
  sourcePvcName?: string | undefined;
  /** Given: edit this backup; absent: create one. */
  backup?: FragmentType<typeof BackupFormDialog_BackupFragment>;
  onClose: () => void;
  onSaved?: (backup: { id: string }) => void;
}

type ServerErrors = { byField: Record<string, string>; general: string[] };

export function BackupFormDialog(props: BackupFormDialogProps) {
  const { applicationId, applicationName, workspaceId, claims, onClose, onSaved } = props;
  const existing = useFragment(BackupFormDialog_BackupFragment, props.backup);
  const editing = Boolean(existing);
  const verifyId = useId();
  const [draft, setDraft] = useState<BackupDraft>(() =>
    existing
      ? draftFromBackup(existing)
      : defaultBackupDraft({
          timeZone: browserTimeZone(),
          sourcePvcName: props.sourcePvcName ?? (claims.find((c) => !c.coveredByBackup) ?? claims[0])?.name ?? "",
          path: applicationName,
        }),
  );
  const [copy, setCopy] = useState<CopyDraft>(() => ({
    volumeId: existing?.copyDestination?.volumeId ?? "",
    path: existing?.copyDestination?.path ?? "",
  }));
  // How many volumes the destination may be (the picker asks the server), and the chosen one with its node.
  const [choices, setChoices] = useState<number | null>(null);
  const [primary, setPrimary] = useState<PickerVolume | null>(null);
  const onChoices = useCallback(
    (count: number, only: { id: string } | null) => {
      setChoices(count);
      // A new backup into the only volume there is needs no choosing.
      if (!editing && only) setDraft((d) => (d.volumeId ? d : { ...d, volumeId: only.id }));
    },
    [editing],
  );
  const [attempted, setAttempted] = useState(false);
  const [server, setServer] = useState<ServerErrors>({ byField: {}, general: [] });
  const inFlight = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);
  const refused = useInvalidFieldFocus(formRef);
  const { preview, settled } = useSchedulePreview(draft.schedule, draft.timeZone);
  const space = useSpaceNeed(draft, { applicationId, backupId: existing?.id });

  // Claim coverage ("claims without backup") follows the backups' sources: re-read the tab's query.
  const [create, { loading: creating }] = useMutation(CreateBackupMutation, {
    update(cache, { data }) {
      const b = data?.createBackup;
      if (b) addBackupToApplication(cache, b);
    },
    refetchQueries: ["ApplicationBackupsPage"],
  });
  const [save, { loading: saving }] = useMutation(UpdateBackupMutation, { refetchQueries: ["ApplicationBackupsPage"] });
  const loading = creating || saving;

  const clientErrors = { ...validateBackupDraft(draft, { checkName: !editing }), ...validateCopyDraft(copy, draft.format) };
  const err = (key: string): string | null => (attempted ? clientErrors[key] : undefined) ?? server.byField[key] ?? null;
  const previewZoneError =
    settled && preview && !preview.valid && preview.field === "timeZone" ? (preview.error ?? "Unknown time zone.") : null;
  const previewInvalid = settled && preview !== null && !preview.valid;

  function update(patch: Partial<BackupDraft>) {
    setDraft((d) => ({ ...d, ...patch }));
    setServer((s) => (Object.keys(s.byField).length || s.general.length ? { byField: {}, general: [] } : s));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAttempted(true);
    if (inFlight.current) return;
    if (Object.keys(clientErrors).length > 0 || previewInvalid) return refused();
    if (!space.maySave()) return;
    inFlight.current = true;
    try {
      if (existing) {
        const input = { ...toUpdateBackupInput(draft, existing.id), ...copyUpdateInput(copy, Boolean(existing.copyDestination)) };
        const { data } = await save({ variables: { input } });
        if (data?.updateBackup) onSaved?.(data.updateBackup);
      } else {
        const input = { ...toCreateBackupInput(draft, applicationId), ...copyCreateInput(copy) };
        const { data } = await create({ variables: { input } });
        if (data?.createBackup) onSaved?.(data.createBackup);
      }
      onClose();
    } catch (caught) {
      setServer(splitErrorsByField(toUserErrors(caught), [...BACKUP_FORM_FIELDS, ...COPY_FIELDS]));
      refused();
    } finally {
      inFlight.current = false;
    }
  }

  const database = isDatabaseFunction(draft.kind);

  return (
    <Dialog
      title={existing ? `Edit ${existing.name}` : "New backup"}
      onClose={onClose}
      size="lg"
      testId="backup-form-dialog"
      description={`A scheduled backup of ${applicationName}: a CronJob runs the function and writes a snapshot into a folder of a Storage Volume.`}
    >
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate className="backup-form">
        <FormErrors messages={server.general} />
        <FormField
          label="Name"
          error={err("name")}
          hint={
            editing ? "The name cannot be changed." : `Lowercase letters, digits and '-'; at most ${BACKUP_NAME_MAX_LENGTH} characters.`
          }
        >
          {(control) => (
            <input
              {...control}
              type="text"
              autoComplete="off"
              spellCheck={false}
              autoFocus={!editing}
              readOnly={editing}
              maxLength={BACKUP_NAME_MAX_LENGTH + 10}
              placeholder="nightly"
              value={draft.name}
              onChange={(e) => update({ name: e.target.value })}
            />
          )}
        </FormField>

        <fieldset className="form-fieldset">
          <legend>When</legend>
          <ScheduleField
            value={draft.schedule}
            onChange={(schedule) => update({ schedule })}
            timeZone={draft.timeZone}
            error={err("schedule")}
            preview={preview}
            settled={settled}
            autoFocus={editing}
          />
          <TimeZoneField value={draft.timeZone} onChange={(timeZone) => update({ timeZone })} error={err("timeZone") ?? previewZoneError} />
          <FormField label="Concurrency policy" error={err("concurrencyPolicy")} hint={CONCURRENCY_EXPLANATION[draft.concurrencyPolicy]}>
            {(control) => (
              <select
                {...control}
                value={draft.concurrencyPolicy}
                onChange={(e) => update({ concurrencyPolicy: e.target.value as ConcurrencyPolicy })}
              >
                {CONCURRENCY_POLICIES.map((p) => (
                  <option key={p} value={p}>
                    {CONCURRENCY_LABEL[p]}
                    {p === "FORBID" ? " (default)" : ""}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </fieldset>

        <FunctionFields draft={draft} update={update} err={err} />

        <fieldset className="form-fieldset">
          <legend>What and where</legend>
          {!database && (
            <FormField
              label="Source claim"
              error={err("source.pvcName")}
              hint="The PersistentVolumeClaim to back up, in the application's namespace."
            >
              {(control) => (
                <select {...control} value={draft.sourcePvcName} onChange={(e) => update({ sourcePvcName: e.target.value })}>
                  <option value="">Choose a claim…</option>
                  {claims.map((c) => (
                    <option key={c.name} value={c.name}>
                      {c.name}
                      {c.capacityGiB != null ? ` (${formatGiB(c.capacityGiB)})` : ""}
                      {c.coveredByBackup ? "" : " — no backup yet"}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          )}
          <div className="field-row">
            <FormField
              label="Destination volume"
              error={err("destination.volumeId")}
              hint={
                choices === 0 ? (
                  <>
                    No Storage Volume is available. <Link to={`/w/${encodeURIComponent(workspaceId)}/storage`}>Create one in Storage</Link>.
                  </>
                ) : undefined
              }
            >
              {(control) => (
                <VolumePicker
                  {...control}
                  workspaceId={workspaceId}
                  value={draft.volumeId}
                  onChange={(volumeId) => update({ volumeId })}
                  onChoices={onChoices}
                  onChosen={setPrimary}
                />
              )}
            </FormField>
            <FormField label="Folder in the volume" error={err("destination.path")} hint="Relative, e.g. shop/db; created when missing.">
              {(control) => (
                <input
                  {...control}
                  type="text"
                  className="mono"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="shop/db"
                  value={draft.path}
                  onChange={(e) => update({ path: e.target.value })}
                />
              )}
            </FormField>
          </div>
        </fieldset>

        <OffNodeCopyFields
          value={copy}
          onChange={(patch) => {
            setCopy((c) => ({ ...c, ...patch, path: patch.volumeId && !c.path ? draft.path : (patch.path ?? c.path) }));
            setServer((s) => (Object.keys(s.byField).length || s.general.length ? { byField: {}, general: [] } : s));
          }}
          workspaceId={workspaceId}
          primary={draft.volumeId && primary?.id === draft.volumeId ? primary : undefined}
          format={draft.format}
          err={err}
        />

        <RetentionFields draft={draft} update={update} err={err} />
        <SpaceNeed space={space} />

        <RepositoryCheckFields draft={draft} update={update} err={err} />

        <div className="field checkbox-field">
          <label htmlFor={verifyId} className="checkbox-label">
            <input
              id={verifyId}
              type="checkbox"
              checked={draft.verifyAfterRun}
              aria-describedby={`${verifyId}-hint`}
              onChange={(e) => update({ verifyAfterRun: e.target.checked })}
            />
            Verify each backup after it is written
          </label>
          <p id={`${verifyId}-hint`} className="field-hint">
            Reads every new snapshot back completely right after the run; takes longer, catches unreadable backups early.
          </p>
          {err("verifyAfterRun") && <p className="field-error">{err("verifyAfterRun")}</p>}
        </div>

        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={loading}>
            {existing ? (saving ? "Saving…" : "Save changes") : creating ? "Creating…" : "Create backup"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
