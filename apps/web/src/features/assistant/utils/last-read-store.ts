import { lastReadStorageKey } from "./unread";

type Listener = () => void;
const listeners = new Set<Listener>();
/** Kept here too, for browsers that refuse localStorage (private mode). */
const memory = new Map<string, string>();

function notify() {
  for (const l of listeners) l();
}

/**
 * The id of the newest message of each workspace's conversation that this browser has shown in the
 * open panel, kept in localStorage and observable (see useLastReadMessage).
 */
export const lastReadStore = {
  get(workspaceId: string): string | null {
    const key = lastReadStorageKey(workspaceId);
    try {
      return localStorage.getItem(key) ?? memory.get(key) ?? null;
    } catch {
      return memory.get(key) ?? null;
    }
  },
  set(workspaceId: string, messageId: string) {
    const key = lastReadStorageKey(workspaceId);
    if (lastReadStore.get(workspaceId) === messageId) return;
    memory.set(key, messageId);
    try {
      localStorage.setItem(key, messageId);
    } catch {
      /* kept in memory */
    }
    notify();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

if (typeof window !== "undefined") {
  // Reading the conversation in another tab counts here too.
  window.addEventListener("storage", (e) => {
    if (e.key?.startsWith(lastReadStorageKey(""))) notify();
  });
}
