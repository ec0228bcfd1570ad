import { FormField } from "../../../components/ui/FormField";
import { useSchedulePreview } from "../hooks/useSchedulePreview";
import type { BackupDraft } from "../utils/backup-form";
import { CHECK_SCHEDULE_PRESETS, CHECK_SUBSETS } from "../utils/repository-check";

/** The repository check of a restic backup: `restic check` on a schedule of its own, reading back part of the data. */
export function RepositoryCheckFields({
  draft,
  update,
  err,
}: {
  draft: BackupDraft;
  update: (patch: Partial<BackupDraft>) => void;
  err: (key: string) => string | null;
}) {
  const { preview, settled } = useSchedulePreview(draft.checkSchedule, draft.timeZone);
  if (draft.format !== "RESTIC") return null;
  const previewError =
    draft.checkSchedule.trim() && settled && preview && !preview.valid ? (preview.error ?? "This schedule is not valid.") : null;
  const custom = draft.checkReadDataSubset !== "" && !CHECK_SUBSETS.some((s) => s.value === draft.checkReadDataSubset);
  return (
    <fieldset className="form-fieldset" data-testid="repository-check-fields">
      <legend>Repository check</legend>
      <p className="field-hint">
        restic checks the repository on its own schedule and reads part of the stored data back, so a damaged disk is found before you need
        a restore. Each check is a verification run in the history. Leave the schedule blank for no scheduled check.
      </p>
      <div className="field-row">
        <FormField
          label="When to check (cron)"
          error={err("check.schedule") ?? previewError}
          hint={
            draft.checkSchedule.trim() && preview?.valid
              ? `${preview.description ?? ""}`
              : `In the backup's time zone (${draft.timeZone}); e.g. 0 4 * * 0 for Sundays at 04:00.`
          }
        >
          {(control) => (
            <input
              {...control}
              type="text"
              className="mono"
              autoComplete="off"
              spellCheck={false}
              placeholder="No scheduled check"
              value={draft.checkSchedule}
              onChange={(e) => update({ checkSchedule: e.target.value })}
            />
          )}
        </FormField>
        <FormField
          label="Data read back"
          error={err("check.readDataSubset")}
          hint="More is slower; 10% a week reads everything in about ten weeks."
        >
          {(control) => (
            <select
              {...control}
              value={draft.checkReadDataSubset}
              onChange={(e) => update({ checkReadDataSubset: e.target.value })}
              disabled={!draft.checkSchedule.trim()}
            >
              {custom && <option value={draft.checkReadDataSubset}>{draft.checkReadDataSubset}</option>}
              {CHECK_SUBSETS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </FormField>
      </div>
      <div className="preset-buttons" role="group" aria-label="Check schedule presets">
        {CHECK_SCHEDULE_PRESETS.map((p) => (
          <button
            key={p.schedule}
            type="button"
            className="btn btn-small"
            aria-pressed={draft.checkSchedule.trim() === p.schedule}
            title={p.schedule}
            onClick={() => update({ checkSchedule: p.schedule, checkReadDataSubset: draft.checkReadDataSubset || "10%" })}
          >
            {p.label}
          </button>
        ))}
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={!draft.checkSchedule.trim()}
          onClick={() => update({ checkSchedule: "", checkReadDataSubset: "" })}
        >
          No scheduled check
        </button>
      </div>
    </fieldset>
  );
}
