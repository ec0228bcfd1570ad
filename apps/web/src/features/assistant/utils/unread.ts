export interface MessageLike {
  id: string;
  author: "ASSISTANT" | "USER";
}

/**
 * How many of the assistant's messages came after the last one read (`messages` oldest first).
 * Nothing read yet, or a last-read message no longer among those loaded (older than the window):
 * every assistant message counts.
 */
export function countUnread(messages: readonly MessageLike[], lastReadId: string | null): number {
  const readIndex = lastReadId === null ? -1 : messages.findIndex((m) => m.id === lastReadId);
  let unread = 0;
  for (let i = readIndex + 1; i < messages.length; i++) {
    if (messages[i]?.author === "ASSISTANT") unread++;
  }
  return unread;
}

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

/** Where the last-read message id of a workspace is kept (localStorage). */
export function lastReadStorageKey(workspaceId: string): string {
  return `hks.assistant.lastRead.${workspaceId}`;
}

/** The badge text: "9+" past nine. */
export function unreadBadgeText(count: number): string {
  return count > 9 ? "9+" : String(count);
}
