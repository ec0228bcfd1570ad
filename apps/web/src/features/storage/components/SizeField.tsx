import { useId } from "react";
import { SIZE_UNITS, type SizeUnit } from "../utils/size";

export interface SizeFieldProps {
  label: string;
  value: string;
  unit: SizeUnit;
  onValueChange: (value: string) => void;
  onUnitChange: (unit: SizeUnit) => void;
  error?: string | null | undefined;
  hint?: string;
  autoFocus?: boolean;
}

/** A size input with a GiB/TiB unit selector. Accessible names: `label` and "Unit". */
export function SizeField({ label, value, unit, onValueChange, onUnitChange, error, hint, autoFocus }: SizeFieldProps) {
  const id = useId();
  const unitId = useId();
  const errId = useId();
  const hintId = useId();
  const describedBy = [error ? errId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <div className="input-group">
        <input
          id={id}
          type="number"
          inputMode="decimal"
          min={0}
          step="any"
          value={value}
          autoFocus={autoFocus}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          onChange={(e) => onValueChange(e.target.value)}
        />
        <label htmlFor={unitId} className="visually-hidden">
          Unit
        </label>
        <select id={unitId} value={unit} onChange={(e) => onUnitChange(e.target.value as SizeUnit)}>
          {SIZE_UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </div>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
