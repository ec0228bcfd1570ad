import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiContext } from "./api-context.js";
import { checkUnknownFields, warningHeader } from "./field-validation.js";
import { badRequest, methodNotAllowed, notFound, pathNotFound, StatusError } from "./errors.js";
import { mediaType, parseBody, readBody, sendJson, wantsTable } from "./http.js";
import { jsonPatch, mergePatch, recordUpdate, serverSideApply, strategicMergePatch } from "./patch.js";
import { parseDryRun, parseListQuery, parsePropagationPolicy, parseWriteQuery } from "./query.js";
import { checkedObject, objectBody, userAgentManager, verbOf, type Route } from "./resource-route.js";
import type { WriteOptions } from "./store.js";
import { toTable } from "./table.js";
import { isRecord, type KubeObject } from "./types.js";
import { serveWatch } from "./watch-stream.js";
import { serveList } from "./list.js";

const APPLY = "application/apply-patch+yaml";
const PATCH_TYPES = ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", APPLY];

/** One request on a resource URL, by verb: get, list, watch, create, update, patch, delete, deletecollection. */
export async function handleResource(
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  route: Route,
  query: URLSearchParams,
): Promise<void> {
  const { store } = ctx;
  const { def } = route;
  const verb = verbOf(method, route, query);
  if (!verb || !def.verbs.includes(verb)) throw methodNotAllowed();
  if (route.subresource && (route.subresource !== "status" || !def.statusSubresource)) throw pathNotFound();
  const dryRun = parseDryRun(query);
  if (verb === "list" || verb === "watch") parseListQuery(query, verb === "watch");
  const scope: WriteOptions["scope"] = route.subresource === "status" ? "status" : "main";
  const options = verb === "create" ? "CreateOptions" : verb === "update" ? "UpdateOptions" : "PatchOptions";
  const write = ["create", "update", "patch"].includes(verb) ? parseWriteQuery(query, options, mediaType(req) === APPLY) : undefined;
  const manager = write?.fieldManager ?? userAgentManager(req);
  const decoded = (obj: KubeObject, how: "decode" | "apply" = "decode") => {
    const warnings = checkUnknownFields(obj, def, write?.fieldValidation ?? "Warn", how, `${route.namespace ?? ""}/${route.name ?? ""}`);
    if (warnings.length) res.setHeader("Warning", warningHeader(warnings));
    return obj;
  };

  switch (verb) {
    case "get": {
      const obj = store.read(def.apiVersion, def.kind, route.namespace, route.name ?? "");
      return sendJson(
        res,
        200,
        wantsTable(req) ? toTable(def, [obj], obj.metadata.resourceVersion ?? "", query.get("includeObject")) : obj,
      );
    }
    case "list":
      return serveList(ctx, req, res, route, query);
    case "watch":
      return serveWatch(ctx, req, res, route, query);
    case "create": {
      const body = decoded(objectBody(await readBody(req), mediaType(req), def, route));
      if (!body.metadata.managedFields) recordUpdate(body, manager, def.apiVersion);
      const created = store.create(body, { scope: "main", dryRun });
      return sendJson(res, 201, created);
    }
    case "update": {
      const body = decoded(objectBody(await readBody(req), mediaType(req), def, route));
      return sendJson(res, 200, store.update(body, { scope, dryRun }));
    }
    case "patch":
      return patch(ctx, req, res, route, manager, dryRun, scope, decoded);
    case "delete": {
      const text = await readBody(req);
      const opts = text.trim() ? (parseBody(text, "application/json") as Record<string, unknown>) : {};
      parsePropagationPolicy(query.get("propagationPolicy"));
      parsePropagationPolicy(opts.propagationPolicy);
      const preconditions = isRecord(opts.preconditions) ? (opts.preconditions as { uid?: string; resourceVersion?: string }) : undefined;
      const deleted = store.delete(def.apiVersion, def.kind, route.namespace, route.name ?? "", {
        dryRun: dryRun || (Array.isArray(opts.dryRun) && opts.dryRun.includes("All")),
        preconditions,
      });
      if (def.deleteReturnsObject) return sendJson(res, 200, deleted);
      return sendJson(res, 200, {
        kind: "Status",
        apiVersion: "v1",
        metadata: {},
        status: "Success",
        details: { name: deleted.metadata.name, ...(def.group ? { group: def.group } : {}), kind: def.plural, uid: deleted.metadata.uid },
      });
    }
    case "deletecollection": {
      const items = store.list(def.apiVersion, def.kind, {
        namespace: route.namespace,
        labelSelector: query.get("labelSelector") ?? undefined,
        fieldSelector: query.get("fieldSelector") ?? undefined,
      });
      const deleted = items.map((o) => store.delete(def.apiVersion, def.kind, o.metadata.namespace, o.metadata.name ?? "", { dryRun }));
      return sendJson(res, 200, {
        kind: `${def.kind}List`,
        apiVersion: def.apiVersion,
        metadata: { resourceVersion: store.resourceVersion },
        items: deleted,
      });
    }
  }
  throw methodNotAllowed();
}

async function patch(
  { store }: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: Route,
  manager: string,
  dryRun: boolean,
  scope: WriteOptions["scope"],
  decoded: (obj: KubeObject, how?: "decode" | "apply") => KubeObject,
): Promise<void> {
  const { def } = route;
  const type = mediaType(req);
  if (!PATCH_TYPES.includes(type))
    throw new StatusError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(", ")}`,
    );
  const body = parseBody(await readBody(req), type);
  const name = route.name ?? "";
  const existing = store.get(def.apiVersion, def.kind, route.namespace, name);
  if (type === APPLY) {
    const applied = decoded(checkedObject(body, def, route), "apply");
    if (Array.isArray(applied.metadata.managedFields)) throw badRequest("metadata.managedFields must be nil");
    const merged = serverSideApply(existing, applied, manager);
    if (!existing) return sendJson(res, 201, store.create(merged, { scope: "main", dryRun }));
    merged.metadata.resourceVersion = applied.metadata.resourceVersion ?? existing.metadata.resourceVersion;
    return sendJson(res, 200, store.update(merged, { scope, dryRun }));
  }
  if (!existing) throw notFound(def, name);
  let patched: unknown;
  if (type === "application/json-patch+json") patched = jsonPatch(existing, body);
  else if (!isRecord(body)) throw badRequest("patch body must be a JSON object");
  else if (type === "application/merge-patch+json") patched = mergePatch(existing, body);
  else patched = strategicMergePatch(existing, body);
  if (!isRecord(patched) || !isRecord(patched.metadata)) throw badRequest("the patched object has no metadata");
  const obj = decoded(patched as KubeObject);
  obj.apiVersion = def.apiVersion;
  obj.kind = def.kind;
  obj.metadata.name = existing.metadata.name;
  if (def.namespaced) obj.metadata.namespace = existing.metadata.namespace;
  if (!obj.metadata.resourceVersion) obj.metadata.resourceVersion = existing.metadata.resourceVersion;
  return sendJson(res, 200, store.update(obj, { scope, dryRun }));
}
