export type WorkspaceRole = "ADMIN" | "MEMBER";

/** Who is asking: resolved once per request (or per graphql-ws connection) from the bearer token. */
export interface Viewer {
  userId: string;
  email: string;
  /** workspace id -> role */
  roles: ReadonlyMap<string, WorkspaceRole>;
}

/** The one role a root field may carry to be reachable without signing in (e.g. `login`). */
export const ANONYMOUS = "ANONYMOUS";
