/**
 * The operational endpoints the server answers, in one place: the Kubernetes manifests' probes and
 * scrape annotations are checked against this list (deploy/test), and the dashboard's fallback route skips them.
 */
export const OPERATIONAL_PATHS = {
  /** Process alive and its event loop turning; never touches the database. */
  live: "/livez",
  /** Database reachable and every migration of this build applied. */
  ready: "/readyz",
  /** Alias of /livez for older checks. */
  health: "/healthz",
  /** Prometheus text exposition. */
  metrics: "/metrics",
} as const;

/** /readyz answers within this even when the database hangs (the readiness probe's timeout must be longer). */
export const READINESS_TIMEOUT_MS = 1500;
