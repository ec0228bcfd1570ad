import { randomUUID } from "node:crypto";
import type { GraphQLFormattedError } from "graphql";
import { ErrorCode } from "../kernel/errors.js";
import type { Logger } from "../logger.js";
import { PlatformError } from "../platform/errors.js";

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

/** Apollo's and graphql-js's names for a request the caller got wrong (a batch, a bad body, a wrong variable). */
const CALLER_MISTAKES = new Set([
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "GRAPHQL_VALIDATION_FAILED",
  "GRAPHQL_PARSE_FAILED",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
]);

const BATCHING_REFUSED = "Batched requests (a JSON array of operations) are not accepted: send one operation per request.";

/** Errors a person can act on pass through with their code; anything else is logged and reaches the client as a generic error. */
export function formatError(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const code = String(formatted.extensions?.["code"] ?? "");
  if (KNOWN_CODES.has(code)) return formatted;
  if (CALLER_MISTAKES.has(code)) {
    const message = formatted.message === "Operation batching disabled." ? BATCHING_REFUSED : formatted.message;
    return { ...formatted, message, extensions: { ...formatted.extensions, code: ErrorCode.INVALID_INPUT, graphqlCode: code } };
  }
  const cause = (error as { originalError?: unknown })?.originalError;
  if (cause instanceof PlatformError) {
    // The platform's own sentence tells an admin what is wrong (unreachable, refused); it holds no secrets.
    logger.warn("platform error", { path: formatted.path, system: cause.system, message: cause.message });
    return { message: platformMessage(cause), path: formatted.path, extensions: { code: platformCode(cause) } };
  }
  const reference = randomUUID().slice(0, 8);
  logger.error("unexpected error", { reference, path: formatted.path, error: String((error as Error)?.stack ?? error) });
  return {
    message: `Something went wrong on our side (reference ${reference}); it has been logged. Try again, and tell support the reference if it persists.`,
    path: formatted.path,
    extensions: { code: "INTERNAL_SERVER_ERROR", reference },
  };
}

/** A namespace ResourceQuota refusing a claim is the admin's own limit, not an outage. */
const platformCode = (error: PlatformError) =>
  error.status === 403 && /exceeded quota/.test(error.message) ? ErrorCode.QUOTA_EXCEEDED : ErrorCode.PLATFORM_UNAVAILABLE;

function platformMessage(error: PlatformError): string {
  const system = error.system === "proxmox" ? "Proxmox" : "Kubernetes";
  if (platformCode(error) === ErrorCode.QUOTA_EXCEEDED) {
    return `A namespace storage quota refused the change: ${error.message}. Raise the namespace's quota or free space, then try again.`;
  }
  return error.transient
    ? `The ${system} platform could not be reached: ${error.message}. Nothing was changed; try again shortly.`
    : `The ${system} platform refused the change: ${error.message}. Nothing was changed.`;
}
