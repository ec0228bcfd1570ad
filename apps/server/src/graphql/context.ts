import type { Services } from "../services.js";

export type WorkspaceRole = "ADMIN" | "MEMBER";

/** Who is asking: resolved once per request (or per graphql-ws connection) from the bearer token. */
export interface Viewer {
  userId: string;
  email: string;
  /** workspace id -> role */
  roles: ReadonlyMap<string, WorkspaceRole>;
}

export interface Context {
  viewer: Viewer | null;
  /** Why a presented token proved nothing; anonymous fields (login) still work with a stale token. */
  authError?: string;
  services: Services;
  /** Per-request batch loaders (one query for a whole list). */
  loaders: { usage: ReturnType<Services["monitoring"]["usageLoader"]> };
  /** performance.now() when the HTTP request reached GraphQL, so an operation's latency includes resolving the viewer. */
  receivedAt?: number;
}
