import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiContext } from "./api-context.js";
import { invalid, StatusError, type FieldError } from "./errors.js";
import { wantsTable } from "./http.js";
import { parseBool, parseInteger } from "./query.js";
import type { Route } from "./resource-route.js";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors.js";
import type { StoreEvent } from "./store.js";
import { toTable } from "./table.js";
import { isRecord, type KubeObject } from "./types.js";

/** How often a watch that asked for bookmarks gets one when nothing else happens (the apiserver: about a minute). */
export const DEFAULT_BOOKMARK_INTERVAL_MS = 60_000;

/** The annotation on the bookmark that ends a watch's initial events (`sendInitialEvents=true`). */
export const INITIAL_EVENTS_END = "k8s.io/initial-events-end";

/**
 * A watch: newline-delimited JSON events, from a resourceVersion (replayed) or from a list of what exists now.
 * As the apiserver's watch cache: `resourceVersion` "" or "0" starts with synthetic ADDED events for what exists, N
 * replays the changes after N (an ERROR event 410 Expired when N is older than the history kept), a version newer than
 * the store's is a 504 "Too large resource version"; `allowWatchBookmarks=true` brings BOOKMARK events (only
 * kind, apiVersion and metadata.resourceVersion) every bookmark interval and just before `timeoutSeconds` ends the
 * stream, so a client resumes from a recent version instead of relisting; `sendInitialEvents=true` (with
 * resourceVersionMatch=NotOlderThan and bookmarks) ends the initial ADDED events with a bookmark annotated
 * k8s.io/initial-events-end.
 */
export function serveWatch(
  { store, streams, bookmarkIntervalMs }: ApiContext,
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
  const bookmarks = parseBool(query, "allowWatchBookmarks") === true;
  const initialEvents = parseBool(query, "sendInitialEvents");
  if (initialEvents !== undefined) checkInitialEvents(query, bookmarks, initialEvents);
  const current = Number(store.resourceVersion);
  if (rvParam && Number(rvParam) > current)
    throw new StatusError(504, "Timeout", `Timeout: Too large resource version: ${rvParam}, current: ${current}`, {
      causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
      retryAfterSeconds: 1,
    });
  // sendInitialEvents=true: the state now as ADDED events whatever the version; false: only changes from it.
  const fromState = initialEvents === true || (initialEvents === undefined && (!rvParam || rvParam === "0"));
  const replay = !fromState && rvParam && rvParam !== "0" ? store.eventsSince(Number(rvParam)) : undefined;
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  res.flushHeaders();
  const send = (type: string, obj: unknown) => {
    const object =
      table && isRecord(obj) && obj.kind !== "Status"
        ? toTable(def, [obj as KubeObject], String((obj as KubeObject).metadata.resourceVersion ?? ""), includeObject)
        : obj;
    res.write(JSON.stringify({ type, object }) + "\n");
  };
  const bookmark = (annotations?: Record<string, string>) =>
    res.write(
      JSON.stringify({
        type: "BOOKMARK",
        object: {
          kind: def.kind,
          apiVersion: def.apiVersion,
          metadata: { resourceVersion: store.resourceVersion, ...(annotations ? { annotations } : {}) },
        },
      }) + "\n",
    );
  if (!fromState && rvParam && rvParam !== "0" && !replay) {
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
  else if (fromState)
    for (const obj of store.list(def.apiVersion, def.kind, { namespace: route.namespace })) if (matches(obj)) send("ADDED", obj);
  if (initialEvents === true) bookmark({ [INITIAL_EVENTS_END]: "true" });
  const unsubscribe = store.subscribe(deliver);
  streams.add(res);
  const timeout = parseInteger(query, "timeoutSeconds") ?? 0;
  const timer =
    timeout > 0
      ? setTimeout(() => {
          if (bookmarks) bookmark();
          res.end();
        }, timeout * 1000)
      : undefined;
  const ticker = bookmarks ? setInterval(() => bookmark(), bookmarkIntervalMs ?? DEFAULT_BOOKMARK_INTERVAL_MS) : undefined;
  ticker?.unref();
  const stop = () => {
    unsubscribe();
    streams.delete(res);
    if (timer) clearTimeout(timer);
    if (ticker) clearInterval(ticker);
  };
  res.on("close", stop);
  req.on("close", stop);
}

/** sendInitialEvents needs bookmarks (its end is one) and resourceVersionMatch=NotOlderThan, as ValidateListOptions says. */
function checkInitialEvents(query: URLSearchParams, bookmarks: boolean, initialEvents: boolean): void {
  const match = query.get("resourceVersionMatch") ?? "";
  const errors: FieldError[] = [];
  if (initialEvents && !bookmarks)
    errors.push({
      type: "FieldValueForbidden",
      field: "allowWatchBookmarks",
      message: "Forbidden: allowWatchBookmarks required when using sendInitialEvents",
    });
  if (match !== "NotOlderThan")
    errors.push({
      type: "FieldValueForbidden",
      field: "resourceVersionMatch",
      message: `Forbidden: sendInitialEvents requires setting resourceVersionMatch to ${JSON.stringify("NotOlderThan")}`,
    });
  if (errors.length) throw invalid({ group: "meta.k8s.io", plural: "", kind: "ListOptions" }, "", errors);
}
