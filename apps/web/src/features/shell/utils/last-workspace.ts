const KEY = "hks.lastWorkspace";

/**
 * The workspace the user last opened, so `/` can go straight to it instead of first asking the server for the
 * user's workspaces (a round trip before the page's own queries can start). The layout checks membership as
 * always and forgets a workspace that is no longer the user's.
 */
export const lastWorkspace = {
  get(): string | null {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null;
    }
  },
  set(workspaceId: string): void {
    try {
      if (localStorage.getItem(KEY) !== workspaceId) localStorage.setItem(KEY, workspaceId);
    } catch {
      /* private mode: `/` asks the server */
    }
  },
  clear(): void {
    try {
      localStorage.removeItem(KEY);
    } catch {
      /* ignore */
    }
  },
};
