import type { IncomingMessage, ServerResponse } from "node:http";
import type { ApiContext } from "./api-context.js";
import { badRequest, StatusError } from "./errors.js";
import { sendJson, wantsTable } from "./http.js";
import { parseListQuery } from "./query.js";
import type { Route } from "./resource-route.js";
import { listKey } from "./store.js";
import { toTable } from "./table.js";
import type { KubeObject } from "./types.js";

// A list as the apiserver serves it from etcd: a consistent snapshot at one resourceVersion, in key order, cut into
// pages by `limit` with a `continue` token that names that snapshot and where the next page starts.

const TOKEN_VERSION = "meta.k8s.io/v1";
const CONTINUE_EXPIRED =
  "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.";

interface ContinueToken {
  rv: number;
  /** The first key of the next page: the last key sent plus a NUL. */
  start: string;
}

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: TOKEN_VERSION, rv: token.rv, start: token.start })).toString("base64url");
}

/** Reads a continue token; a bad one is the apiserver's 400 "invalid continue token". */
export function decodeContinue(value: string): ContinueToken {
  const invalid = (why: string) => badRequest(`invalid continue token: continue key is not valid${why ? `: ${why}` : ""}`);
  if (!/^[A-Za-z0-9_-]*$/.test(value)) throw invalid(`illegal base64 data at input byte ${value.search(/[^A-Za-z0-9_-]/)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch (error) {
    throw invalid((error as Error).message);
  }
  const token = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (token?.v !== TOKEN_VERSION) throw invalid("server does not recognize this encoded version");
  if (typeof token.rv !== "number" || token.rv <= 0) throw invalid(`incorrect encoded start resourceVersion (version ${TOKEN_VERSION})`);
  if (typeof token.start !== "string" || !token.start) throw invalid("encoded start key empty");
  return { rv: token.rv, start: token.start };
}

function tooLarge(requested: number, current: number): StatusError {
  return new StatusError(504, "Timeout", `Timeout: Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
    retryAfterSeconds: 1,
  });
}

export function serveList({ store }: ApiContext, req: IncomingMessage, res: ServerResponse, route: Route, query: URLSearchParams): void {
  const { def } = route;
  const q = parseListQuery(query, false);
  const current = Number(store.resourceVersion);
  const selection = {
    namespace: route.namespace,
    labelSelector: query.get("labelSelector") ?? undefined,
    fieldSelector: query.get("fieldSelector") ?? undefined,
  };
  let at = current;
  let start = "";
  let items: KubeObject[] | undefined;
  if (q.continue) {
    ({ rv: at, start } = decodeContinue(q.continue));
    items = store.listAt(def.apiVersion, def.kind, at, selection);
    if (!items) throw new StatusError(410, "Expired", CONTINUE_EXPIRED);
  } else {
    const requested = q.resourceVersion ? Number(q.resourceVersion) : 0;
    if (requested > current) throw tooLarge(requested, current);
    if (q.resourceVersionMatch === "Exact") {
      at = requested;
      items = store.listAt(def.apiVersion, def.kind, at, selection);
      if (!items) throw new StatusError(410, "Expired", `too old resource version: ${requested} (${store.oldestResourceVersion})`);
    } else items = store.list(def.apiVersion, def.kind, selection);
  }
  if (start) {
    // Keys from `start` on; a trailing NUL (the usual token) means "after this key" (collation ignores the NUL).
    const after = start.endsWith("\u0000");
    const from = after ? start.slice(0, -1) : start;
    items = items.filter((o) => {
      const order = listKey(o).localeCompare(from);
      return after ? order > 0 : order >= 0;
    });
  }
  const page = q.limit !== undefined ? items.slice(0, q.limit) : items;
  const rest = items.length - page.length;
  const last = page.at(-1);
  const metadata = {
    resourceVersion: String(at),
    ...(rest > 0 && last ? { continue: encodeContinue({ rv: at, start: `${listKey(last)}\u0000` }), remainingItemCount: rest } : {}),
  };
  if (wantsTable(req)) {
    const table = toTable(def, page, metadata.resourceVersion, query.get("includeObject")) as { metadata: object };
    return sendJson(res, 200, { ...table, metadata });
  }
  return sendJson(res, 200, { kind: `${def.kind}List`, apiVersion: def.apiVersion, metadata, items: page });
}
