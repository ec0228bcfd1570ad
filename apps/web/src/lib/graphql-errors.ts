import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";

export type ErrorCode =
  | "PLAN_REQUIRED"
  | "QUOTA_EXCEEDED"
  | "INVALID_INPUT"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "CONFLICT"
  | "UNAUTHENTICATED"
  | "PLATFORM_UNAVAILABLE"
  | "UNKNOWN";

export interface UserError {
  code: ErrorCode;
  message: string;
  /** Input field the error is about (e.g. "name", "sizeGiB"), when the server names one. */
  field?: string;
}

const KNOWN: ReadonlySet<string> = new Set([
  "PLAN_REQUIRED",
  "QUOTA_EXCEEDED",
  "INVALID_INPUT",
  "NOT_FOUND",
  "FORBIDDEN",
  "CONFLICT",
  "UNAUTHENTICATED",
  "PLATFORM_UNAVAILABLE",
]);

interface FormattedErrorLike {
  message: string;
  extensions?: Record<string, unknown> | undefined;
}

export function toUserErrorFromFormatted(e: FormattedErrorLike): UserError {
  const rawCode = e.extensions?.["code"];
  const code = typeof rawCode === "string" && KNOWN.has(rawCode) ? (rawCode as ErrorCode) : "UNKNOWN";
  const rawField = e.extensions?.["field"];
  const out: UserError = {
    code,
    message: code === "UNKNOWN" && !e.message ? "Something went wrong." : e.message,
  };
  if (typeof rawField === "string" && rawField) out.field = rawField;
  return out;
}

/** Turns whatever Apollo threw into errors a user can read. */
export function toUserErrors(error: unknown): UserError[] {
  if (CombinedGraphQLErrors.is(error)) {
    return error.errors.map((e) => toUserErrorFromFormatted(e));
  }
  if (ServerError.is(error)) {
    if (error.statusCode === 401) {
      return [{ code: "UNAUTHENTICATED", message: "Your session has expired. Please sign in again." }];
    }
    return [{ code: "UNKNOWN", message: `The server answered ${error.statusCode}. Please try again.` }];
  }
  if (error instanceof TypeError) {
    return [{ code: "UNKNOWN", message: "Cannot reach the server. Check your connection and try again." }];
  }
  if (error instanceof Error && error.message) {
    return [{ code: "UNKNOWN", message: error.message }];
  }
  return [{ code: "UNKNOWN", message: "Something went wrong. Please try again." }];
}

export interface SplitErrors {
  /** Errors keyed by the form field they belong to (only fields listed in `fields`). */
  byField: Record<string, string>;
  /** Everything else, to show at the top of the dialog. */
  general: string[];
}

/** Splits errors into per-field messages (for the fields a form knows) and general ones. */
export function splitErrorsByField(errors: readonly UserError[], fields: readonly string[]): SplitErrors {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const e of errors) {
    if (e.field && fields.includes(e.field) && byField[e.field] === undefined) byField[e.field] = e.message;
    else general.push(e.message);
  }
  return { byField, general };
}

export function hasErrorCode(error: unknown, code: ErrorCode): boolean {
  return toUserErrors(error).some((e) => e.code === code);
}
