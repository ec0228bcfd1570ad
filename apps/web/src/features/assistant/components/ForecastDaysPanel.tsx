import { useState } from "react";
import type { FormEvent } from "react";
import { useMutation, useQuery } from "@apollo/client/react";
import { FormField } from "../../../components/ui/FormField";
import { toUserErrors } from "../../../lib/graphql-errors";
import { ForecastDaysQuery, SetForecastDaysMutation } from "../graphql/forecast-days";

/** Workspace Admins only: how many days of projected need the assistant sizes a proposed expansion for. */
export function ForecastDaysPanel({ workspaceId }: { workspaceId: string }) {
  const { data } = useQuery(ForecastDaysQuery, { variables: { workspaceId } });
  const [save, { loading }] = useMutation(SetForecastDaysMutation);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const current = data?.workspace.forecastDays;
  const value = text ?? (current === undefined ? "" : String(current));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const days = Number(value);
    // The server checks the range and says why; a field that is not a whole number never gets there.
    if (!/^\d+$/.test(value.trim())) return setError("Give a whole number of days, e.g. 90.");
    try {
      await save({ variables: { workspaceId, days } });
      setError(null);
      setText(null);
      setSaved(true);
    } catch (caught) {
      setError(toUserErrors(caught)[0]?.message ?? "The setting could not be saved.");
    }
  }

  return (
    <section className="card panel" aria-labelledby="forecast-days-title" data-testid="forecast-days-panel">
      <div className="panel-header">
        <div>
          <h2 id="forecast-days-title">Expansion sizing</h2>
          <p className="muted small">
            When a backup volume fills, the assistant proposes a size that holds what its backups will write over this many days.
          </p>
        </div>
      </div>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <FormField label="Days an expansion is sized for" error={error} hint="From 7 to 730 days; 90 unless you change it.">
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={7}
              max={730}
              step={1}
              value={value}
              onChange={(e) => {
                setText(e.target.value);
                setError(null);
                setSaved(false);
              }}
            />
          )}
        </FormField>
        <button type="submit" className="btn" aria-disabled={loading || undefined}>
          {loading ? "Saving…" : "Save"}
        </button>
        {saved && (
          <p className="small muted" role="status">
            Saved: expansions are now sized for {current} days.
          </p>
        )}
      </form>
    </section>
  );
}
