/** The scheduled repository check (restic check --read-data-subset) as the Backup form edits it. */

export const CHECK_SUBSETS: readonly { value: string; label: string }[] = [
  { value: "", label: "Structure only (no data read back)" },
  { value: "1%", label: "1% of the data" },
  { value: "5%", label: "5% of the data" },
  { value: "10%", label: "10% of the data (recommended weekly)" },
  { value: "25%", label: "25% of the data" },
  { value: "100%", label: "All of the data" },
];

export const CHECK_SCHEDULE_PRESETS: readonly { label: string; schedule: string }[] = [
  { label: "Weekly (Sunday 04:00)", schedule: "0 4 * * 0" },
  { label: "Monthly (1st, 04:00)", schedule: "0 4 1 * *" },
];

// restic's --read-data-subset forms: n%, n/m, or a size with an optional K/M/G/T unit (the server checks the same).
const SUBSET = /^(?:(\d+(?:\.\d+)?)%|(\d+)\/(\d+)|(\d+)([KMGT]?))$/;

/** Client-side checks of the check fields, keyed by the server's field names. */
export function validateRepositoryCheck(schedule: string, subset: string): Record<string, string> {
  const errors: Record<string, string> = {};
  const s = subset.trim();
  if (!schedule.trim() && s)
    errors["check.schedule"] = "Give the check a schedule (e.g. 0 4 * * 0 for Sundays at 04:00) to read back data.";
  if (s) {
    const m = SUBSET.exec(s);
    const ok =
      m !== null &&
      (m[1] === undefined || (Number(m[1]) > 0 && Number(m[1]) <= 100)) &&
      (m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= Number(m[3]))) &&
      (m[4] === undefined || Number(m[4]) > 0);
    if (!ok) errors["check.readDataSubset"] = "Use a percentage above 0 and at most 100 (10%), a part n/m (1/7), or a size (500M).";
  }
  return errors;
}

/** The API's check input: a schedule turns it on; a blank schedule turns it off. */
export function checkInput(format: string, schedule: string, subset: string) {
  const s = schedule.trim().replace(/\s+/g, " ");
  if (format !== "RESTIC" || !s) return { schedule: null, readDataSubset: null };
  return { schedule: s, readDataSubset: subset.trim() || null };
}
