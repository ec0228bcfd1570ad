export const VOLUME_NAME_MAX_LENGTH = 63;

/**
 * Validates a Kubernetes DNS-1123 label: lowercase alphanumerics and '-',
 * starting and ending with an alphanumeric, at most 63 characters.
 * Returns a helpful message, or null when the name is valid.
 */
export function validateVolumeName(name: string): string | null {
  if (name.length === 0) return "Enter a name.";
  if (name.length > VOLUME_NAME_MAX_LENGTH) {
    return `Use at most ${VOLUME_NAME_MAX_LENGTH} characters (currently ${name.length}).`;
  }
  // Every problem at once: "Backup_Vol" has capitals and an underscore, and fixing one should not reveal the other.
  const problems: string[] = [];
  if (/[A-Z]/.test(name)) problems.push("lowercase letters only");
  const bad = [...new Set(name.match(/[^a-zA-Z0-9-]/g) ?? [])].map((ch) => (ch === " " ? "spaces" : `"${ch}"`));
  if (bad.length) problems.push(`only letters, digits and '-' (not ${bad.join(", ")})`);
  if (problems.length) {
    const suggestion = suggestVolumeName(name);
    return `Use ${problems.join(", and ")}.${suggestion ? ` Try "${suggestion}".` : ""}`;
  }
  if (!/^[a-z0-9]/.test(name)) return "Start with a lowercase letter or digit.";
  if (!/[a-z0-9]$/.test(name)) return "End with a lowercase letter or digit.";
  return null;
}

/** A suggestion for a valid name derived from free text ("My Data_1" → "my-data-1"). */
export function suggestVolumeName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, VOLUME_NAME_MAX_LENGTH)
    .replace(/-+$/g, "");
}
