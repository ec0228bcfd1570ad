import { badRequest, invalid, StatusError, type FieldError } from "./errors.js";
import type { FieldValidation } from "./field-validation.js";

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
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: "NotOlderThan" | "Exact";
}

const META = "meta.k8s.io";

/** The list/watch parameters, checked as ValidateListOptions checks them (a 422 on ListOptions) before any answer. */
export function parseListQuery(query: URLSearchParams, watching: boolean): ListQuery {
  const timeoutSeconds = parseInteger(query, "timeoutSeconds");
  const limit = parseInteger(query, "limit");
  const resourceVersion = query.get("resourceVersion") ?? "";
  const match = query.get("resourceVersionMatch") ?? "";
  const cont = query.get("continue") ?? "";
  if (resourceVersion && !/^\d+$/.test(resourceVersion)) throw badRequest(`invalid resource version: ${resourceVersion}`);
  const errors: FieldError[] = [];
  const forbid = (why: string) => errors.push({ type: "FieldValueForbidden", field: "resourceVersionMatch", message: `Forbidden: ${why}` });
  if (match) {
    if (watching) {
      if (query.get("sendInitialEvents") === null)
        forbid("resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
    } else {
      if (!resourceVersion) forbid("resourceVersionMatch is forbidden unless resourceVersion is provided");
      if (cont) forbid("resourceVersionMatch is forbidden when continue is provided");
      if (match !== "Exact" && match !== "NotOlderThan")
        errors.push({
          type: "FieldValueNotSupported",
          field: "resourceVersionMatch",
          message: `Unsupported value: ${JSON.stringify(match)}: supported values: "Exact", "NotOlderThan", ""`,
        });
      if (match === "Exact" && resourceVersion === "0") forbid('resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
    }
  }
  if (errors.length) throw invalid({ group: META, plural: "", kind: "ListOptions" }, "", errors);
  if (cont && resourceVersion && resourceVersion !== "0" && !watching)
    throw badRequest("specifying resource version is not allowed when using continue");
  return {
    watch: watching,
    allowWatchBookmarks: parseBool(query, "allowWatchBookmarks") ?? false,
    ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
    ...(limit !== undefined && limit > 0 ? { limit } : {}),
    ...(cont ? { continue: cont } : {}),
    ...(resourceVersion ? { resourceVersion } : {}),
    ...(match ? { resourceVersionMatch: match as "NotOlderThan" | "Exact" } : {}),
  };
}

export interface WriteQuery {
  /** As sent; undefined when absent (the server then names the user agent). */
  fieldManager?: string;
  fieldValidation: FieldValidation;
  force?: boolean;
}

const FIELD_VALIDATIONS = ["", "Ignore", "Strict", "Warn"];

/**
 * CreateOptions / UpdateOptions / PatchOptions, validated as the apiserver does (422 on the options kind):
 * fieldManager at most 128 printable characters and required for apply, `force` only on apply, fieldValidation one
 * of its values (Warn when absent).
 */
export function parseWriteQuery(
  query: URLSearchParams,
  options: "CreateOptions" | "UpdateOptions" | "PatchOptions",
  apply = false,
): WriteQuery {
  const errors: FieldError[] = [];
  const fieldManager = query.get("fieldManager") ?? undefined;
  const force = options === "PatchOptions" ? parseBool(query, "force") : undefined;
  if (options === "PatchOptions" && !apply && force !== undefined)
    errors.push({ type: "FieldValueForbidden", field: "force", message: "Forbidden: may not be specified for non-apply patch" });
  if (apply && !fieldManager)
    errors.push({ type: "FieldValueRequired", field: "fieldManager", message: "Required value: is required for apply patch" });
  if (fieldManager !== undefined) {
    if (Buffer.byteLength(fieldManager) > 128)
      errors.push({ type: "FieldValueTooLong", field: "fieldManager", message: "Too long: must have at most 128 bytes" });
    const chars = [...fieldManager];
    const bad = chars.findIndex((ch) => /\p{C}/u.test(ch));
    // Go reports the byte offset of the first rune that unicode.IsPrint refuses.
    if (bad >= 0)
      errors.push({
        type: "FieldValueInvalid",
        field: "fieldManager",
        message: `Invalid value: ${JSON.stringify(fieldManager)}: invalid character U+${(chars[bad]?.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")} (at position ${Buffer.byteLength(chars.slice(0, bad).join(""))})`,
      });
  }
  const fieldValidation = query.get("fieldValidation") ?? "";
  if (!FIELD_VALIDATIONS.includes(fieldValidation))
    errors.push({
      type: "FieldValueNotSupported",
      field: "fieldValidation",
      message: `Unsupported value: ${JSON.stringify(fieldValidation)}: supported values: ${FIELD_VALIDATIONS.map((v) => JSON.stringify(v)).join(", ")}`,
    });
  if (errors.length) throw invalid({ group: META, plural: "", kind: options }, "", errors);
  return {
    ...(fieldManager !== undefined ? { fieldManager } : {}),
    fieldValidation: (fieldValidation || "Warn") as FieldValidation,
    ...(force !== undefined ? { force } : {}),
  };
}
