import type { IncomingMessage, ServerResponse } from "node:http";
import { PveError } from "./errors.js";
import type { Params } from "./params.js";

// The proxmox-api client only parses a body whose content type is exactly this string.
export const JSON_TYPE = "application/json;charset=UTF-8";
const MAX_BODY = 1024 * 1024;

/** A status line may only hold one line of visible latin-1 text; PVE uses the message's first line. */
export function reasonPhrase(message: string): string {
  return (message.split("\n")[0] ?? "").replace(/[^\x20-\x7e\xa0-\xff]/g, "?").slice(0, 512);
}

function send(res: ServerResponse, status: number, reason: string, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, reasonPhrase(reason), {
    "Content-Type": JSON_TYPE,
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "max-age=0",
    Pragma: "no-cache",
  });
  res.end(text);
}

export function sendData(res: ServerResponse, data: unknown): void {
  send(res, 200, "OK", { data: data === undefined ? null : data });
}

export function sendError(res: ServerResponse, status: number, message: string, errors?: Record<string, string>): void {
  const body: Record<string, unknown> = { data: null, message: message.endsWith("\n") ? message : `${message}\n` };
  if (errors) body.errors = errors;
  send(res, status, message, body);
}

export function sendPveError(res: ServerResponse, err: unknown): void {
  if (err instanceof PveError) sendError(res, err.status, err.message, err.errors);
  else sendError(res, 500, err instanceof Error ? err.message : String(err));
}

/** PVE answers auth failures with an empty body; the reason phrase is all a client gets. */
export function sendUnauthorized(res: ServerResponse, reason: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(401, reasonPhrase(reason), { "Content-Length": 0 });
  res.end();
}

function flatten(value: unknown): string {
  if (value === true) return "1";
  if (value === false) return "0";
  if (Array.isArray(value)) return value.map(flatten).join(",");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** Repeated keys (the client sends arrays that way) become one comma list, as PVE's list formats expect. */
function fromSearch(search: URLSearchParams, into: Params): void {
  const seen = new Set<string>();
  for (const key of search.keys()) {
    if (seen.has(key)) continue;
    seen.add(key);
    into[key] = search.getAll(key).join(",");
  }
}

export function queryParams(url: URL): Params {
  const out: Params = {};
  fromSearch(url.searchParams, out);
  return out;
}

export async function readBody(req: IncomingMessage): Promise<{ raw: string; params: Params }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new PveError(413, "Request Entity Too Large");
    chunks.push(buf);
  }
  const raw = Buffer.concat(chunks).toString("utf8");
  const params: Params = {};
  if (!raw.trim()) return { raw, params };
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.includes("json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new PveError(400, "malformed JSON body");
    }
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) {
      for (const [k, v] of Object.entries(parsed)) if (v !== null && v !== undefined) params[k] = flatten(v);
    }
  } else {
    fromSearch(new URLSearchParams(raw), params);
  }
  return { raw, params };
}
