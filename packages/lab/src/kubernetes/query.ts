import { badRequest, StatusError } from "./errors.js";

/**
 * The apiserver's reading of query parameters, shared by every route: booleans as Go's strconv.ParseBool reads them
 * (clients send `watch=True`, `watch=1`, `watch=true`), integers as strconv.ParseInt, and the enumerations it knows;
 * anything else is a 400 BadRequest, as the apiserver answers.
 */

const TRUE = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE = new Set(["0", "f", "F", "FALSE", "false", "False"]);

export function parseBool(query: URLSearchParams, key: string): boolean | undefined {
  const raw = query.get(key);
  if (raw === null || raw === "") return undefined;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw badRequest(`failed to parse query parameter ${key}: strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
}

export function parseInteger(query: URLSearchParams, key: string): number | undefined {
  const raw = query.get(key);
  if (raw === null || raw === "") return undefined;
  if (!/^[+-]?\d+$/.test(raw))
    throw badRequest(`failed to parse query parameter ${key}: strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
  return Number(raw);
}

/** `dryRun` may repeat; only "All" exists. */
export function parseDryRun(query: URLSearchParams): boolean {
  const values = query.getAll("dryRun").filter((v) => v !== "");
  for (const v of values)
    if (v !== "All")
      throw new StatusError(400, "BadRequest", `Invalid dryRun: ${JSON.stringify(values)}: supported values: "All"`, undefined);
  return values.length > 0;
}

const POLICIES = ["Orphan", "Background", "Foreground"];

export function parsePropagationPolicy(value: unknown): string | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !POLICIES.includes(value))
    throw new StatusError(
      422,
      "Invalid",
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: ${JSON.stringify(value)}: supported values: "Background", "Foreground", "Orphan"`,
    );
  return value;
}

export interface ListQuery {
  watch: boolean;
  allowWatchBookmarks: boolean;
  timeoutSeconds?: number;
  limit?: number;
  resourceVersion?: string;
}

/** The list/watch parameters, checked before anything is answered. */
export function parseListQuery(query: URLSearchParams): ListQuery {
  const timeoutSeconds = parseInteger(query, "timeoutSeconds");
  const limit = parseInteger(query, "limit");
  const rvMatch = query.get("resourceVersionMatch");
  if (rvMatch && rvMatch !== "NotOlderThan" && rvMatch !== "Exact")
    throw badRequest(`resourceVersionMatch: Unsupported value: ${JSON.stringify(rvMatch)}: supported values: "Exact", "NotOlderThan"`);
  const resourceVersion = query.get("resourceVersion") ?? undefined;
  if (resourceVersion && !/^\d+$/.test(resourceVersion)) throw badRequest(`invalid resource version: ${resourceVersion}`);
  return {
    watch: parseBool(query, "watch") ?? false,
    allowWatchBookmarks: parseBool(query, "allowWatchBookmarks") ?? false,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(resourceVersion ? { resourceVersion } : {}),
  };
}
