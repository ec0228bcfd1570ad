import { FormField } from "../../../components/ui/FormField";
import { RETENTION_KEYS, RETENTION_LABEL, type BackupDraft, type RetentionKey } from "../utils/backup-form";

const HINT: Record<RetentionKey, string> = {
  keepLast: "newest snapshots",
  keepDaily: "one per day",
  keepWeekly: "one per week",
  keepMonthly: "one per month",
};

export function RetentionFields({
  draft,
  update,
  err,
}: {
  draft: BackupDraft;
  update: (patch: Partial<BackupDraft>) => void;
  err: (key: string) => string | null;
}) {
  return (
    <fieldset className="form-fieldset">
      <legend>Retention</legend>
      <p className="field-hint">
        Which snapshots to keep; the rest are pruned after each successful run. Leave a field blank to not use it.
      </p>
      <div className="field-row retention-row">
        {RETENTION_KEYS.map((key) => (
          <FormField key={key} label={RETENTION_LABEL[key]} error={err(`retention.${key}`)} hint={HINT[key]}>
            {(control) => (
              <input
                {...control}
                type="number"
                min={1}
                max={1000}
                step={1}
                inputMode="numeric"
                placeholder="Not set"
                value={draft[key]}
                onChange={(e) => update({ [key]: e.target.value } as Partial<BackupDraft>)}
              />
            )}
          </FormField>
        ))}
      </div>
    </fieldset>
  );
}
