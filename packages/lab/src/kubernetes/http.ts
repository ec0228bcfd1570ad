import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { badRequest, StatusError } from "./errors.js";

const MAX_BODY = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new StatusError(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The media type without parameters, lower-cased. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Parses a request body: JSON, or YAML for server-side apply (which accepts both). */
export function parseBody(text: string, type: string): unknown {
  if (!text.trim())
    throw badRequest(
      "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
    );
  if (type === "application/apply-patch+yaml" || type === "application/yaml") {
    try {
      return parseYaml(text);
    } catch (error) {
      throw badRequest(`error decoding YAML: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-cache, private",
  });
  res.end(text);
}

export function sendStatus(res: ServerResponse, error: StatusError): void {
  sendJson(res, error.code, error.toStatus());
}

export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** kubectl asks for server-side printing with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io,...`. */
export function wantsTable(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? "";
  return accept
    .split(",")
    .map((part) => part.replace(/\s+/g, ""))
    .some((part) => part.includes("as=Table") && part.includes("g=meta.k8s.io"));
}

/** Anything that is not a StatusError becomes an InternalError, as the apiserver would report a bug. */
export function toStatusError(error: unknown): StatusError {
  if (error instanceof StatusError) return error;
  return new StatusError(500, "InternalError", `Internal error occurred: ${(error as Error)?.message ?? String(error)}`);
}
