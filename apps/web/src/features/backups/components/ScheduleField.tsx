import { FormField } from "../../../components/ui/FormField";
import { Spinner } from "../../../components/ui/Spinner";
import { SCHEDULE_PRESETS } from "../utils/backup-form";
import { formatDateTime } from "../utils/time";

export interface SchedulePreviewData {
  valid: boolean;
  error?: string | null;
  field?: string | null;
  description?: string | null;
  nextRuns: readonly string[];
}

export interface ScheduleFieldProps {
  value: string;
  onChange: (value: string) => void;
  timeZone: string;
  /** Client or server error about the schedule (wins over the preview's). */
  error: string | null;
  preview: SchedulePreviewData | null;
  /** False while the preview shown is for older input. */
  settled: boolean;
  autoFocus?: boolean;
}

/** Cron text with quick presets and a live preview (in words, next 5 runs in the chosen zone). */
export function ScheduleField({ value, onChange, timeZone, error, preview, settled, autoFocus }: ScheduleFieldProps) {
  const previewError = preview && !preview.valid && preview.field !== "timeZone" ? (preview.error ?? "This schedule is not valid.") : null;
  const shownError = error ?? (settled ? previewError : null);
  return (
    <div className="schedule-field">
      <FormField
        label="Schedule (cron)"
        error={shownError}
        hint="Five fields: minute hour day-of-month month day-of-week, e.g. 0 2 * * * for every day at 02:00."
      >
        {(control) => (
          <input
            {...control}
            type="text"
            className="mono"
            autoComplete="off"
            spellCheck={false}
            autoFocus={autoFocus}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        )}
      </FormField>
      <div className="preset-buttons" role="group" aria-label="Schedule presets">
        {SCHEDULE_PRESETS.map((p) => (
          <button
            key={p.schedule}
            type="button"
            className="btn btn-small"
            aria-pressed={value.trim() === p.schedule}
            title={p.schedule}
            onClick={() => onChange(p.schedule)}
          >
            {p.label}
          </button>
        ))}
      </div>
      <div className="schedule-preview" data-testid="schedule-preview" aria-live="polite" aria-label="Schedule preview">
        {!preview ? (
          <span className="muted small">
            {value.trim() ? <Spinner label="Checking the schedule" /> : "Enter a schedule to see when it runs."}
          </span>
        ) : preview.valid ? (
          <>
            <p className="schedule-description" data-testid="schedule-description">
              {preview.description}
              {!settled && <Spinner label="Updating preview" />}
            </p>
            <p className="small muted">Next runs ({timeZone}):</p>
            <ol className="next-runs" data-testid="schedule-next-runs">
              {preview.nextRuns.slice(0, 5).map((t) => (
                <li key={t}>
                  <time dateTime={t}>{formatDateTime(t, timeZone)}</time>
                </li>
              ))}
            </ol>
          </>
        ) : (
          <span className="muted small">No preview for an invalid schedule.</span>
        )}
      </div>
    </div>
  );
}
