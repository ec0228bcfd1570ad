const KEY = "hks.authToken";
type Listener = () => void;
const listeners = new Set<Listener>();

function read(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

let current: string | null = typeof localStorage === "undefined" ? null : read();

function emit() {
  for (const l of listeners) l();
}

/** The bearer token, kept in localStorage and observable (see useAuthToken). */
export const tokenStore = {
  get(): string | null {
    return current;
  },
  set(token: string) {
    current = token;
    try {
      localStorage.setItem(KEY, token);
    } catch {
      /* private mode: keep it in memory */
    }
    emit();
  },
  clear() {
    if (current === null) return;
    current = null;
    try {
      localStorage.removeItem(KEY);
    } catch {
      /* ignore */
    }
    emit();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

if (typeof window !== "undefined") {
  // Signing in or out in another tab applies here too.
  window.addEventListener("storage", (e) => {
    if (e.key !== KEY) return;
    current = e.newValue;
    emit();
  });
}
