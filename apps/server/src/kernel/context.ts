import type { Viewer } from "./viewer.js";

/**
 * What a resolver is given. Each resolver names the services it uses (`RequestContext<{ volumes: VolumeService }>`),
 * so modules need not know the composition root that builds them all.
 */
export interface RequestContext<S = unknown, L = unknown> {
  viewer: Viewer | null;
  /** Why a presented token proved nothing; anonymous fields (login) still work with a stale token. */
  authError?: string;
  services: S;
  /** Per-request batch loaders (one query for a whole list). */
  loaders: L;
  /** performance.now() when the HTTP request reached GraphQL, so an operation's latency includes resolving the viewer. */
  receivedAt?: number;
}
