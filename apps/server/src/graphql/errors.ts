import { GraphQLError } from "graphql";

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

/** A failure the person asking can act on: it reaches the client with its code and sentence. */
export class UserError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extra: { field?: string; [key: string]: unknown } = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const invalidInput = (field: string, message: string) => new UserError(ErrorCode.INVALID_INPUT, message, { field });
export const notFound = (what: string) => new UserError(ErrorCode.NOT_FOUND, `${what} was not found.`);
export const forbidden = (message: string) => new UserError(ErrorCode.FORBIDDEN, message);
export const conflict = (message: string, field?: string) => new UserError(ErrorCode.CONFLICT, message, field ? { field } : {});
