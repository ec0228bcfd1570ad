import { clusterRoutes } from "./cluster-routes.js";
import { qemuRoutes } from "./qemu-routes.js";
import { storageRoutes } from "./storage-routes.js";
import { taskRoutes } from "./task-routes.js";
import { checkParams, type Params } from "./params.js";
import type { LabContext, Route } from "./route.js";

export type { LabContext, Route, RouteCall } from "./route.js";
export { UnauthorizedError } from "./route.js";

export const routes: Route[] = [...clusterRoutes, ...storageRoutes, ...qemuRoutes, ...taskRoutes];

export interface Matched {
  /** Undefined for an unknown method/path pair: PVE answers 501 for both. */
  route?: Route;
  pathParams: Record<string, string>;
}

const compiled = routes.map((r) => ({ route: r, segments: r.pattern.split("/").filter(Boolean) }));

export function match(method: string, apiPath: string): Matched {
  const parts = apiPath.split("/").filter(Boolean);
  for (const { route, segments } of compiled) {
    if (route.method !== method || segments.length !== parts.length) continue;
    const pathParams: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const seg = segments[i] ?? "";
      const part = parts[i] ?? "";
      if (seg.startsWith("{")) {
        try {
          pathParams[seg.slice(1, -1)] = decodeURIComponent(part);
        } catch {
          pathParams[seg.slice(1, -1)] = part;
        }
      } else ok = seg === part;
    }
    if (ok) return { route, pathParams };
  }
  return { pathParams: {} };
}

export function runRoute(route: Route, lab: LabContext, user: string, params: Params, pathParams: Record<string, string>): unknown {
  const p = checkParams({ ...params, ...pathParams }, route.schema, route.dynamic);
  return route.handle({ lab, user, p });
}
