import { performance } from "node:perf_hooks";
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import type { RequestContext as Context } from "../kernel/context.js";
import type { Logger } from "../logger.js";
import type { OperationType, ServerMetrics } from "./metrics.js";

export interface OperationRecord {
  /** The client's operation name as sent (the log keeps it; the metric label is capped). */
  name: string | null | undefined;
  /** False when the document did not parse or validate, or named no operation in it. */
  validated: boolean;
  type: OperationType;
  durationMs: number;
  errors: ReadonlyArray<GraphQLFormattedError> | undefined;
  userId: string | undefined;
}

/**
 * One metric observation and one log line per GraphQL operation. Exported on its own so an
 * execution path that bypasses Apollo (a compiled hot operation) records the same figures.
 * The line carries no variables and no token: only what identifies the operation and its result.
 */
export function recordOperation(metrics: ServerMetrics, logger: Logger, op: OperationRecord): void {
  const codes = op.errors?.length ? [...new Set(op.errors.map((e) => String(e.extensions?.["code"] ?? "UNKNOWN")))] : undefined;
  metrics.observeRequest(metrics.operationLabel(op.name, op.validated), op.type, codes ? "error" : "ok", op.durationMs / 1000);
  logger.info("graphql operation", {
    operation: op.name ?? null,
    type: op.type,
    ms: Math.round(op.durationMs * 10) / 10,
    ...(codes ? { errors: codes } : {}),
    ...(op.userId ? { userId: op.userId } : {}),
  });
}

/**
 * Operation-level instrumentation for Apollo: requestDidStart and willSendResponse only, timed from
 * the context's `receivedAt` (before the viewer is resolved) when the HTTP integration sets it. No
 * executionDidStart/willResolveField hook, which would make Apollo wrap every resolver.
 */
export function operationsPlugin(metrics: ServerMetrics, logger: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = contextValue?.receivedAt ?? performance.now();
      return {
        async willSendResponse({ operation, operationName, request, response, contextValue }) {
          const body = response.body;
          recordOperation(metrics, logger, {
            name: operationName ?? request.operationName,
            validated: operation !== undefined,
            type: operation?.operation ?? "unknown",
            durationMs: performance.now() - started,
            errors: body.kind === "single" ? body.singleResult.errors : body.initialResult.errors,
            userId: contextValue?.viewer?.userId,
          });
        },
      };
    },
  };
}
