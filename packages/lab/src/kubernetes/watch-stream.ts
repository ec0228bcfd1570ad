import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiContext } from "./api-context.js";
import { StatusError } from "./errors.js";
import { wantsTable } from "./http.js";
import { parseInteger } from "./query.js";
import type { Route } from "./resource-route.js";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors.js";
import type { StoreEvent } from "./store.js";
import { toTable } from "./table.js";
import { isRecord, type KubeObject } from "./types.js";

/** A watch: newline-delimited JSON events, from a resourceVersion (replayed) or from a list of what exists now. */
export function serveWatch(
  { store, streams }: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  route: Route,
  query: URLSearchParams,
): void {
  const { def } = route;
  const labels = parseLabelSelector(query.get("labelSelector"));
  const fields = parseFieldSelector(query.get("fieldSelector"), def);
  const table = wantsTable(req);
  const includeObject = query.get("includeObject");
  const matches = (obj: KubeObject | undefined) =>
    !!obj &&
    (!def.namespaced || !route.namespace || obj.metadata.namespace === route.namespace) &&
    (!route.name || obj.metadata.name === route.name) &&
    matchesLabels(obj.metadata.labels, labels) &&
    matchesFields(obj, fields);
  const rvParam = query.get("resourceVersion");
  const replay = rvParam && rvParam !== "0" ? store.eventsSince(Number(rvParam)) : undefined;
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  const send = (type: string, obj: unknown) => {
    const object =
      table && isRecord(obj) && obj.kind !== "Status"
        ? toTable(def, [obj as KubeObject], String((obj as KubeObject).metadata.resourceVersion ?? ""), includeObject)
        : obj;
    res.write(JSON.stringify({ type, object }) + "\n");
  };
  if (rvParam && rvParam !== "0" && !replay) {
    send("ERROR", new StatusError(410, "Expired", `too old resource version: ${rvParam} (${store.resourceVersion})`).toStatus());
    res.end();
    return;
  }
  const deliver = (event: StoreEvent) => {
    if (event.def !== def) return;
    const now = matches(event.object);
    const before = matches(event.oldObject);
    if (event.type === "ADDED" && now) send("ADDED", event.object);
    else if (event.type === "DELETED" && (now || before)) send("DELETED", event.object);
    else if (event.type === "MODIFIED") {
      if (now && before) send("MODIFIED", event.object);
      else if (now) send("ADDED", event.object);
      else if (before) send("DELETED", event.object);
    }
  };
  if (replay) for (const event of replay) deliver(event);
  else for (const obj of store.list(def.apiVersion, def.kind, { namespace: route.namespace })) if (matches(obj)) send("ADDED", obj);
  const unsubscribe = store.subscribe(deliver);
  streams.add(res);
  const timeout = parseInteger(query, "timeoutSeconds") ?? 0;
  const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
  const stop = () => {
    unsubscribe();
    streams.delete(res);
    if (timer) clearTimeout(timer);
  };
  res.on("close", stop);
  req.on("close", stop);
}
