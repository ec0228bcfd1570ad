import type { IncomingMessage } from "node:http";
import { badRequest } from "./errors.js";
import { parseBody } from "./http.js";
import type { KindRegistry } from "./kinds/index.js";
import type { KindDef } from "./kinds/kind.js";
import { parseBool } from "./query.js";
import { isRecord, type KubeObject } from "./types.js";

/** A resource URL taken apart: /api(s)/<group>/<version>[/watch][/namespaces/<ns>]/<plural>[/<name>[/<subresource>]]. */
export interface Route {
  def: KindDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  watch: boolean;
}

export function verbOf(method: string, route: Route, query: URLSearchParams): string | undefined {
  const watching = route.watch || parseBool(query, "watch") === true;
  switch (method) {
    case "GET":
    case "HEAD":
      if (watching) return "watch";
      return route.name ? "get" : "list";
    case "POST":
      return route.name ? undefined : "create";
    case "PUT":
      return route.name ? "update" : undefined;
    case "PATCH":
      return route.name ? "patch" : undefined;
    case "DELETE":
      return route.name ? "delete" : "deletecollection";
  }
  return undefined;
}

/** The apiserver's default field manager: the user agent up to the first slash. */
export function userAgentManager(req: IncomingMessage): string {
  const agent = req.headers["user-agent"];
  return agent ? (agent.split("/")[0] ?? "unknown").slice(0, 128) : "unknown";
}

export function parseRoute(registry: KindRegistry, pathname: string): Route | undefined {
  const segments = pathname.split("/").filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === "api" && segments.length >= 2) {
    group = "";
    version = segments[1] ?? "";
    rest = segments.slice(2);
  } else if (segments[0] === "apis" && segments.length >= 3) {
    group = segments[1] ?? "";
    version = segments[2] ?? "";
    rest = segments.slice(3);
  } else return undefined;
  let watch = false;
  if (rest[0] === "watch") {
    watch = true;
    rest = rest.slice(1);
  }
  if (rest[0] === "namespaces" && rest.length >= 3) {
    const def = registry.byResource(group, version, rest[2] ?? "");
    if (def?.namespaced) {
      if (rest.length > 5) return undefined;
      return { def, namespace: rest[1], name: rest[3], subresource: rest[4], watch };
    }
  }
  const def = registry.byResource(group, version, rest[0] ?? "");
  if (!def || rest.length > 3) return undefined;
  if (def.namespaced && rest.length > 1) return undefined;
  return { def, name: rest[1], subresource: rest[2], watch };
}

/** A full object from a POST/PUT body, checked against the URL it was sent to. */
export function objectBody(text: string, type: string, def: KindDef, route: Route): KubeObject {
  return checkedObject(parseBody(text, type), def, route);
}

export function checkedObject(body: unknown, def: KindDef, route: Route): KubeObject {
  if (!isRecord(body)) throw badRequest("the body of the request was in an unknown format");
  const obj = body as KubeObject;
  if (obj.apiVersion !== undefined && obj.apiVersion !== def.apiVersion)
    throw badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${def.apiVersion})`);
  if (obj.kind !== undefined && obj.kind !== def.kind)
    throw badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.kind})`);
  obj.apiVersion = def.apiVersion;
  obj.kind = def.kind;
  if (!isRecord(obj.metadata)) obj.metadata = {};
  if (route.name !== undefined) {
    if (obj.metadata.name !== undefined && obj.metadata.name !== route.name)
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${route.name})`);
    obj.metadata.name = route.name;
  }
  if (def.namespaced) {
    if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== route.namespace)
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    obj.metadata.namespace = route.namespace;
  }
  return obj;
}
