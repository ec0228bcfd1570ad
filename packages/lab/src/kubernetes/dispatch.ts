import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultRule } from "../faults.js";
import { selfSubjectAccessReview } from "./access-review.js";
import type { ApiContext } from "./api-context.js";
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions, SERVER_VERSION } from "./discovery.js";
import { badRequest, methodNotAllowed, pathNotFound, reasonForCode, StatusError, unauthorized } from "./errors.js";
import { mediaType, parseBody, readBody, sendJson, sendText } from "./http.js";
import { PROMETHEUS_TEXT_CONTENT_TYPE, renderVolumeStats, volumeStatsOf } from "./metrics.js";
import { openapiDocument, openapiIndex } from "./openapi.js";
import { servePodLog } from "./pod-log.js";
import { handleResource } from "./resource-handlers.js";
import { parseRoute } from "./resource-route.js";
import { isRecord } from "./types.js";

const PUBLIC_PATHS = new Set(["/healthz", "/livez", "/readyz"]);

/** Routes one request: health, metrics, lab faults, auth, access reviews, pod logs, discovery and OpenAPI, resources. */
export async function dispatch(ctx: ApiContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const parsed = new URL(req.url ?? "/", "http://lab");
  const pathname = parsed.pathname.replace(/\/+$/, "") || "/";
  const method = (req.method ?? "GET").toUpperCase();
  const { store, registry, faults, requests, volumes, token } = ctx;
  if (pathname === "/_lab/faults") return labFaults(ctx, req, res, method);
  if (!PUBLIC_PATHS.has(pathname) && pathname !== "/metrics") requests.record(method, opensWatch(pathname, parsed.searchParams));
  const fault = faults.take(method, pathname, parsed.search);
  if (fault?.action === "hang") return; // never answered; close() drops the connection
  if (fault) {
    const code = fault.status ?? 500;
    const reason = reasonForCode(code) || "InternalError";
    throw new StatusError(code, reason, fault.message ?? "Internal error occurred: injected fault");
  }
  if (PUBLIC_PATHS.has(pathname)) return sendText(res, 200, "ok");
  if (pathname === "/metrics" && (method === "GET" || method === "HEAD")) {
    // Like a scrape target beside the vCluster's API (a real kubelet's /metrics/... wants auth; the lab's does not).
    const text = renderVolumeStats(volumeStatsOf(store, (pv) => volumes.usage(pv)));
    res.writeHead(200, { "Content-Type": PROMETHEUS_TEXT_CONTENT_TYPE, "Content-Length": Buffer.byteLength(text) });
    res.end(method === "HEAD" ? undefined : text);
    return;
  }
  if (req.headers.authorization !== `Bearer ${token}`) throw unauthorized();
  if (pathname === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
    if (method !== "POST") throw methodNotAllowed();
    return sendJson(res, 201, selfSubjectAccessReview(parseBody(await readBody(req), mediaType(req))));
  }
  const logPath = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/.exec(pathname);
  if (logPath) {
    if (method !== "GET") throw methodNotAllowed();
    return servePodLog(ctx, req, res, decodeURIComponent(logPath[1] ?? ""), decodeURIComponent(logPath[2] ?? ""), parsed.searchParams);
  }
  if (method === "GET" || method === "HEAD") {
    const doc = discoveryDoc(ctx, pathname);
    if (doc !== undefined) return sendJson(res, 200, doc);
  }
  const route = parseRoute(registry, pathname);
  if (!route) throw pathNotFound();
  return handleResource(ctx, req, res, method, route, parsed.searchParams);
}

/** A GET that opens a watch (`/watch/` in the path, or `watch` true as strconv.ParseBool reads it). */
function opensWatch(pathname: string, query: URLSearchParams): boolean {
  return /^\/apis?\/(.+\/)?watch\//.test(pathname) || ["1", "t", "T", "TRUE", "true", "True"].includes(query.get("watch") ?? "");
}

function discoveryDoc({ registry, host, port }: ApiContext, pathname: string): unknown {
  if (pathname === "/version") return SERVER_VERSION;
  if (pathname === "/api") return apiVersions(`${host}:${port()}`);
  if (pathname === "/apis") return apiGroupList(registry);
  if (pathname === "/openapi/v3") return openapiIndex(registry);
  let m = /^\/api\/([^/]+)$/.exec(pathname);
  if (m) return apiResourceList(registry, "", m[1] ?? "");
  m = /^\/apis\/([^/]+)$/.exec(pathname);
  if (m) return apiGroupDoc(registry, m[1] ?? "");
  m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (m) return apiResourceList(registry, m[1] ?? "", m[2] ?? "");
  m = /^\/openapi\/v3\/api\/([^/]+)$/.exec(pathname);
  if (m) return openapiDocument(registry, "", m[1] ?? "");
  m = /^\/openapi\/v3\/apis\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (m) return openapiDocument(registry, m[1] ?? "", m[2] ?? "");
  return undefined;
}

async function labFaults({ faults }: ApiContext, req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
  if (method === "DELETE") {
    faults.clear();
    return sendJson(res, 200, { cleared: true });
  }
  if (method !== "POST") throw methodNotAllowed();
  const rule = parseBody(await readBody(req), "application/json") as FaultRule;
  if (!isRecord(rule) || typeof rule.path !== "string" || (rule.action !== "fail" && rule.action !== "hang"))
    throw badRequest("a fault rule needs a path (regular expression) and an action (fail or hang)");
  faults.add(rule);
  return sendJson(res, 201, rule);
}
