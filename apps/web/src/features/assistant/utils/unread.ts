/** The id of the newest message, or null for an empty conversation. */
export function newestMessageId(messages: readonly { id: string }[]): string | null {
  return messages.length ? (messages[messages.length - 1]?.id ?? null) : null;
}

/** `existing` followed by those of `incoming` it does not hold yet (by id), in their order. */
export function appendNew<T extends { id: string }>(existing: readonly T[], incoming: readonly T[]): T[] {
  const seen = new Set(existing.map((m) => m.id));
  const added = incoming.filter((m) => {
    if (seen.has(m.id)) return false;
    seen.add(m.id);
    return true;
  });
  return added.length ? [...existing, ...added] : [...existing];
}

/** The badge text: "9+" past nine. */
export function unreadBadgeText(count: number): string {
  return count > 9 ? "9+" : String(count);
}
