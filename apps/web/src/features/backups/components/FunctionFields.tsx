import { FormField } from "../../../components/ui/FormField";
import type { BackupFunctionKind, Compression } from "../../../gql/graphql";
import {
  COMPRESSIONS,
  DEFAULT_DB_PORT,
  FORMAT_LABEL,
  FORMATS,
  FUNCTION_KINDS,
  FUNCTION_LABEL,
  hasCompression,
  isDatabaseFunction,
  type BackupDraft,
} from "../utils/backup-form";

export interface FunctionFieldsProps {
  draft: BackupDraft;
  update: (patch: Partial<BackupDraft>) => void;
  err: (key: string) => string | null;
}

/** The function picker and the fields each function needs. */
export function FunctionFields({ draft, update, err }: FunctionFieldsProps) {
  function changeKind(kind: BackupFunctionKind) {
    const patch: Partial<BackupDraft> = { kind };
    // Follow the default port of the database, unless the user typed their own.
    const defaults = Object.values(DEFAULT_DB_PORT);
    if (DEFAULT_DB_PORT[kind] && (draft.dbPort === "" || defaults.includes(draft.dbPort))) {
      patch.dbPort = DEFAULT_DB_PORT[kind];
    }
    update(patch);
  }

  const text = (
    key: keyof BackupDraft,
    label: string,
    field: string,
    opts: { hint?: string; placeholder?: string; mono?: boolean } = {},
  ) => (
    <FormField label={label} error={err(field)} hint={opts.hint}>
      {(control) => (
        <input
          {...control}
          type="text"
          autoComplete="off"
          spellCheck={false}
          className={opts.mono ? "mono" : undefined}
          placeholder={opts.placeholder}
          value={String(draft[key])}
          onChange={(e) => update({ [key]: e.target.value } as Partial<BackupDraft>)}
        />
      )}
    </FormField>
  );

  return (
    <fieldset className="form-fieldset">
      <legend>Function</legend>
      <fieldset className="format-choice" data-testid="backup-format">
        <legend>Stored as</legend>
        {FORMATS.map((f) => (
          <label key={f} className="radio-option">
            <input type="radio" name="backup-format" value={f} checked={draft.format === f} onChange={() => update({ format: f })} />
            <span>
              <strong>{FORMAT_LABEL[f].label}</strong>
              <span className="field-hint">{FORMAT_LABEL[f].description}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="field-row">
        <FormField label="Backup function" error={err("function.kind")}>
          {(control) => (
            <select {...control} value={draft.kind} onChange={(e) => changeKind(e.target.value as BackupFunctionKind)}>
              {FUNCTION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {FUNCTION_LABEL[k]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        {draft.format === "PLAIN" && hasCompression(draft.kind) && (
          <FormField label="Compression" error={err("function.compression")}>
            {(control) => (
              <select {...control} value={draft.compression} onChange={(e) => update({ compression: e.target.value as Compression })}>
                {COMPRESSIONS.map((c) => (
                  <option key={c} value={c}>
                    {c === "ZSTD" ? "zstd (faster, smaller)" : "gzip (most compatible)"}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        )}
      </div>

      {isDatabaseFunction(draft.kind) && (
        <div className="database-fields" data-testid="database-fields">
          {err("function.database") && <p className="field-error">{err("function.database")}</p>}
          <div className="field-row">
            {text("dbHost", "Database host", "function.database.host", { placeholder: "shop-db.shop.svc", mono: true })}
            <FormField label="Port" error={err("function.database.port")} className="field-narrow">
              {(control) => (
                <input
                  {...control}
                  type="number"
                  min={1}
                  max={65535}
                  step={1}
                  inputMode="numeric"
                  value={draft.dbPort}
                  onChange={(e) => update({ dbPort: e.target.value })}
                />
              )}
            </FormField>
          </div>
          <div className="field-row">
            {text("dbName", "Database name", "function.database.name", { mono: true })}
            {text("dbUser", "User", "function.database.user", { mono: true })}
          </div>
          <div className="field-row">
            {text("dbPasswordSecretName", "Password Secret name", "function.database.passwordSecretName", {
              hint: "A Secret in the application's namespace.",
              mono: true,
            })}
            {text("dbPasswordSecretKey", "Password Secret key", "function.database.passwordSecretKey", { mono: true })}
          </div>
        </div>
      )}

      {draft.kind === "CUSTOM" && (
        <div className="custom-fields">
          {text("image", "Image", "function.image", { placeholder: "registry.example.com/team/backup:1.2", mono: true })}
          <FormField
            label="Script"
            error={err("function.script")}
            hint="A bash script; it reads the claim at $HKS_SOURCE_DIR and writes the backup into $HKS_OUTPUT_DIR."
          >
            {(control) => (
              <textarea
                {...control}
                className="mono script-input"
                rows={7}
                spellCheck={false}
                value={draft.script}
                onChange={(e) => update({ script: e.target.value })}
              />
            )}
          </FormField>
        </div>
      )}
    </fieldset>
  );
}
