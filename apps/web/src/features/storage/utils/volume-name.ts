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
  if (/[A-Z]/.test(name)) return "Use lowercase letters only.";
  const bad = name.match(/[^a-z0-9-]/);
  if (bad) {
    const ch = bad[0] === " " ? "spaces" : `"${bad[0]}"`;
    return `Only lowercase letters, digits and '-' are allowed (not ${ch}).`;
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
