import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * What the dashboard may load and run. The bearer token sits in localStorage, so an injected script is the theft to
 * guard against: only the dashboard's own files run, no inline script, style or event handler, no plugin, no base or
 * form pointing elsewhere. The built dashboard needs nothing looser (e2e/tests/csp.spec.ts loads every page).
 * `connect-src 'self'` covers graphql-ws on the same host: CSP 3 matches ws:/wss: of the page's own host and port.
 * Images may be data: URLs (the favicon is one); an image cannot run script.
 */
export const DASHBOARD_CSP_DIRECTIVES = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "script-src-attr": ["'none'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  // An admin console must not be framable (clickjacking).
  "frame-ancestors": ["'none'"],
} as const;

/** The route of Apollo's Sandbox landing page in development, which runs inline script and loads from Apollo's CDN. */
const SANDBOX_PATH = "/graphql";

export interface SecurityHeadersOptions {
  /** Development serves Apollo's Sandbox at /graphql: that page alone goes without the CSP. */
  development: boolean;
}

/**
 * Headers a browser needs from every response (helmet): the CSP above, X-Frame-Options DENY for browsers without
 * frame-ancestors, nosniff, no referrer across origins; X-Powered-By is removed.
 */
export function securityHeaders(options: SecurityHeadersOptions): RequestHandler {
  const common = {
    xFrameOptions: { action: "deny" },
    // Only the directives above: helmet's defaults add upgrade-insecure-requests, which breaks the dashboard over
    // plain http (the lab on localhost, a cluster-internal port-forward).
  } as const;
  const strict = helmet({ ...common, contentSecurityPolicy: { useDefaults: false, directives: DASHBOARD_CSP_DIRECTIVES } });
  if (!options.development) return strict;
  const sandbox = helmet({ ...common, contentSecurityPolicy: false });
  return (req, res, next) => (req.path === SANDBOX_PATH ? sandbox : strict)(req, res, next);
}
