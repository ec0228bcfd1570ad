export const ErrorCode = {
  UNAUTHENTICATED: "UNAUTHENTICATED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  INVALID_INPUT: "INVALID_INPUT",
  CONFLICT: "CONFLICT",
  PLAN_REQUIRED: "PLAN_REQUIRED",
  QUOTA_EXCEEDED: "QUOTA_EXCEEDED",
  PLATFORM_UNAVAILABLE: "PLATFORM_UNAVAILABLE",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * A failure the person asking can act on: a code and a sentence. It knows nothing of GraphQL; graphql-js copies
 * `extensions` of the error a resolver throws into the error it answers with, so the code reaches the client as is.
 */
export class DomainError extends Error {
  readonly extensions: { code: ErrorCode; field?: string; [key: string]: unknown };

  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: { field?: string; [key: string]: unknown } = {},
  ) {
    super(message);
    this.name = "DomainError";
    this.extensions = { code, ...extra };
  }
}

export const invalidInput = (field: string, message: string) => new DomainError(ErrorCode.INVALID_INPUT, message, { field });
export const notFound = (what: string) => new DomainError(ErrorCode.NOT_FOUND, `${what} was not found.`);
export const forbidden = (message: string) => new DomainError(ErrorCode.FORBIDDEN, message);
export const conflict = (message: string, field?: string) => new DomainError(ErrorCode.CONFLICT, message, field ? { field } : {});
