import type { ApolloServerOptionsWithGateway } from "@apollo/server";
import {
  execute,
  getNamedType,
  GraphQLError,
  isInputObjectType,
  typeFromAST,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import type { Context } from "./context.js";
import type { Admit } from "./edge/admission.js";
import { Lru } from "./lru.js";

type Gateway = ApolloServerOptionsWithGateway<Context>["gateway"];

/** Distinct operations kept compiled; the dashboard sends a few dozen, so this only bounds a misbehaving client. */
const MAX_COMPILED = 500;

/**
 * Executes queries with graphql-jit instead of graphql-js: each distinct document is compiled once into a
 * function that resolves its fields without graphql-js's per-field bookkeeping, and runs as such on every
 * later request. Apollo still parses, validates and formats (and caches parsing/validation); it reaches this
 * executor through its gateway interface, which is also what keeps per-field plugin hooks off the hot path.
 * Mutations, and queries taking input objects, run on graphql-js: they are not the hot path, and graphql-jit
 * does not apply an input object's field defaults to variables.
 */
export function compiledExecution(schema: GraphQLSchema, admit: Admit): Gateway {
  const compiled = new Lru<string, CompiledQuery | ExecutionResult>(MAX_COMPILED);
  const compile = (key: string, document: DocumentNode, operationName: string | undefined) =>
    compiled.getOrLoad(key, () => compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true }));

  return {
    async load() {
      return {
        schema,
        executor: async (request) => {
          const operationName = request.operationName ?? undefined;
          // The edge (graphql/edge/): variables coerced, cost and arguments checked, before either executor runs.
          const admission = admit({
            schema,
            document: request.document,
            operation: request.operation,
            variables: request.request.variables,
            signedIn: request.context.viewer !== null,
          });
          if (!admission.ok) return { errors: admission.errors };
          if (!compilable(schema, request.operation)) {
            return execute({
              schema,
              document: request.document,
              contextValue: request.context,
              variableValues: request.request.variables,
              operationName,
            });
          }
          const query = compile(`${request.queryHash}:${operationName ?? ""}`, request.document, operationName);
          if (!isCompiledQuery(query)) return query as never;
          const result = await query.query(undefined, request.context, request.request.variables ?? {});
          return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
        },
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => undefined;
    },
    async stop() {
      compiled.clear();
    },
  };
}

/**
 * graphql-jit's errors look like graphql-js's but leave `extensions` undefined when the thrown error had none,
 * which Apollo's error formatting does not expect; give them the exact graphql-js shape.
 */
function asGraphQLError(error: GraphQLError): GraphQLError {
  const normal = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
    extensions: error.extensions ?? {},
  });
  (normal as { locations?: GraphQLError["locations"] }).locations = error.locations;
  return normal;
}

function compilable(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== "query") return false;
  return (operation.variableDefinitions ?? []).every((definition) => {
    const type = typeFromAST(schema, definition.type as never);
    return type !== undefined && !isInputObjectType(getNamedType(type));
  });
}
