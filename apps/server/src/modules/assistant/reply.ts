export type Intent = { kind: "accept"; sizeGiB?: number } | { kind: "decline" } | { kind: "unknown" };

/**
 * Reads an admin's free-text answer: "yes", "no", "expand to 750 GiB", "make it 1 TiB".
 * Anything else is not taken as consent.
 */
export function readIntent(text: string): Intent {
  const t = text.trim().toLowerCase();
  const size = /(\d+(?:\.\d+)?)\s*(gib|gb|g|tib|tb|t)?\b/.exec(t);
  if (size && /\b(expand|grow|resize|make|to|yes|ok)\b/.test(t)) {
    const unit = size[2] ?? "gib";
    const value = Number(size[1]) * (unit.startsWith("t") ? 1024 : 1);
    return { kind: "accept", sizeGiB: Math.round(value) };
  }
  if (/^(y|yes|yeah|yep|ok|okay|sure|please|do it|go ahead|expand( it)?)\b/.test(t)) return { kind: "accept" };
  if (/^(n|no|nope|not now|dismiss|don't|do not|cancel|skip)\b/.test(t)) return { kind: "decline" };
  return { kind: "unknown" };
}
