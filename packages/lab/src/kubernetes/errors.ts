// Errors in the apiserver's own `Status` shape, so clients (client-node's ApiException.body, kubectl's messages)
// see exactly what a real cluster would send.

export type StatusReason =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "Forbidden"
  | "BadRequest"
  | "MethodNotAllowed"
  | "Unauthorized"
  | "Gone"
  | "Expired"
  | "UnsupportedMediaType"
  | "NotAcceptable"
  | "InternalError"
  | "ServiceUnavailable"
  | "Timeout"
  | "TooManyRequests"
  | "RequestEntityTooLarge"
  | "";

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): StatusBody {
    const body: StatusBody = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: this.message, code: this.code };
    if (this.reason) body.reason = this.reason;
    if (this.details) body.details = stripEmpty(this.details);
    return body;
  }
}

function stripEmpty(details: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (details.name) out.name = details.name;
  if (details.group) out.group = details.group;
  if (details.kind) out.kind = details.kind;
  if (details.uid) out.uid = details.uid;
  if (details.causes?.length) out.causes = details.causes;
  if (details.retryAfterSeconds) out.retryAfterSeconds = details.retryAfterSeconds;
  return out;
}

/** What the apiserver calls a resource in messages: `persistentvolumes` or `storageclasses.storage.k8s.io`. */
export interface ResourceRef {
  group: string;
  plural: string;
  kind: string;
}

export function qualifiedResource(ref: ResourceRef): string {
  return ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
}

export function qualifiedKind(ref: ResourceRef): string {
  return ref.group ? `${ref.kind}.${ref.group}` : ref.kind;
}

export function notFound(ref: ResourceRef, name: string): StatusError {
  return new StatusError(404, "NotFound", `${qualifiedResource(ref)} "${name}" not found`, {
    name,
    group: ref.group,
    kind: ref.plural,
  });
}

export function alreadyExists(ref: ResourceRef, name: string): StatusError {
  return new StatusError(409, "AlreadyExists", `${qualifiedResource(ref)} "${name}" already exists`, {
    name,
    group: ref.group,
    kind: ref.plural,
  });
}

export function conflict(
  ref: ResourceRef,
  name: string,
  why = "the object has been modified; please apply your changes to the latest version and try again",
): StatusError {
  return new StatusError(409, "Conflict", `Operation cannot be fulfilled on ${qualifiedResource(ref)} "${name}": ${why}`, {
    name,
    group: ref.group,
    kind: ref.plural,
  });
}

export function forbidden(ref: ResourceRef, name: string, why: string): StatusError {
  return new StatusError(403, "Forbidden", `${qualifiedResource(ref)} "${name}" is forbidden: ${why}`, {
    name,
    group: ref.group,
    kind: ref.plural,
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, "BadRequest", message);
}

export function methodNotAllowed(): StatusError {
  return new StatusError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

export function pathNotFound(): StatusError {
  return new StatusError(404, "NotFound", "the server could not find the requested resource", {});
}

export function unauthorized(): StatusError {
  return new StatusError(401, "Unauthorized", "Unauthorized");
}

/** One field problem, formatted like k8s.io/apimachinery's field.Error. */
export interface FieldError {
  type:
    | "FieldValueRequired"
    | "FieldValueInvalid"
    | "FieldValueForbidden"
    | "FieldValueNotSupported"
    | "FieldValueDuplicate"
    | "FieldValueTooLong";
  field: string;
  /** The text after `<field>: `, e.g. `Required value` or `Invalid value: "x": must be ...`. */
  message: string;
}

export function invalid(ref: ResourceRef, name: string, errors: FieldError[]): StatusError {
  const parts = errors.map((e) => `${e.field}: ${e.message}`);
  const summary = parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
  return new StatusError(422, "Invalid", `${qualifiedKind(ref)} "${name}" is invalid: ${summary}`, {
    name,
    group: ref.group,
    kind: ref.kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  });
}

/** Status reasons the apiserver uses for each code, for injected faults. */
export function reasonForCode(code: number): StatusReason {
  const reasons: Record<number, StatusReason> = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    410: "Gone",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
  };
  return reasons[code] ?? "";
}
