import { useId, useMemo, useState } from "react";
import { allTimeZones, filterTimeZones } from "../utils/time-zones";

export interface TimeZoneFieldProps {
  value: string;
  onChange: (zone: string) => void;
  error: string | null;
}

/** A searchable time zone select: a search box narrows the IANA zones the select offers. */
export function TimeZoneField({ value, onChange, error }: TimeZoneFieldProps) {
  const id = useId();
  const searchId = useId();
  const errId = useId();
  const [query, setQuery] = useState("");
  const zones = useMemo(() => filterTimeZones(allTimeZones(), query, value), [query, value]);
  return (
    <div className="field">
      <label htmlFor={id}>Time zone</label>
      <div className="input-group">
        <label htmlFor={searchId} className="visually-hidden">
          Search time zones
        </label>
        <input
          id={searchId}
          type="search"
          placeholder="Search, e.g. berlin"
          value={query}
          autoComplete="off"
          onChange={(e) => {
            const q = e.target.value;
            setQuery(q);
            const matches = filterTimeZones(allTimeZones(), q);
            // One match left: take it, so searching is enough.
            if (matches.length === 1 && matches[0] && matches[0] !== value) onChange(matches[0]);
          }}
        />
        <select
          id={id}
          value={value}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errId : undefined}
          onChange={(e) => onChange(e.target.value)}
        >
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replace(/_/g, " ")}
            </option>
          ))}
        </select>
      </div>
      {error && (
        <p id={errId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
