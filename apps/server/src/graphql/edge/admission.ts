import {
  getVariableValues,
  GraphQLError,
  Kind,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { ErrorCode } from "../../kernel/errors.js";
import { operationCost } from "./cost.js";
import { checkInputs } from "./inputs.js";
import type { GraphQLLimits } from "./limits.js";

export interface AdmissionRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  variables: Record<string, unknown> | null | undefined;
  /** Whether the caller is signed in: introspection is for signed-in callers only in production. */
  signedIn: boolean;
}

export type Admission = { ok: true; variables: Record<string, unknown> } | { ok: false; errors: readonly GraphQLError[] };

/**
 * The edge, after parse and validation and before execution, for both transports: variables coerced to their
 * types (graphql-jit would otherwise crash on a wrong one), the operation's cost against the limit, and every
 * argument checked (inputs.ts). A refusal is the caller's mistake: a coded error and a sentence, nothing run.
 */
export function admitter(limits: GraphQLLimits, options: { production: boolean }) {
  return (request: AdmissionRequest): Admission => {
    const { schema, document, operation } = request;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 5 });
    if (coerced.errors) {
      return { ok: false, errors: coerced.errors.map((e) => coded(e, ErrorCode.INVALID_INPUT, "BAD_USER_INPUT")) };
    }
    const variables = coerced.coerced;
    if (options.production && !request.signedIn && introspects(document, operation.selectionSet, new Set())) {
      const message = "Introspection is for signed-in callers; sign in first (the schema is also in schema/schema.graphql).";
      return { ok: false, errors: [new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED } })] };
    }
    const cost = operationCost(schema, document, operation, variables, limits.assumedListSize);
    if (cost > limits.maxCost) {
      const message =
        `Cost limit of ${limits.maxCost} exceeded, found ${cost} (each object counts 1, times the page size of every list around it). ` +
        "Ask for smaller pages or fewer nested lists.";
      return { ok: false, errors: [new GraphQLError(message, { extensions: { code: ErrorCode.INVALID_INPUT, limit: "cost", cost } })] };
    }
    const invalid = checkInputs(schema, document, variables);
    return invalid ? { ok: false, errors: [invalid] } : { ok: true, variables };
  };
}

export type Admit = ReturnType<typeof admitter>;

const coded = (error: GraphQLError, code: string, graphqlCode: string) =>
  new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code, graphqlCode } });

/** Whether the operation asks for __schema or __type at its root, directly or through fragments. */
function introspects(document: DocumentNode, selectionSet: SelectionSetNode, seen: Set<string>): boolean {
  return selectionSet.selections.some((s) => {
    if (s.kind === Kind.FIELD) return s.name.value === "__schema" || s.name.value === "__type";
    if (s.kind === Kind.INLINE_FRAGMENT) return introspects(document, s.selectionSet, seen);
    if (seen.has(s.name.value)) return false;
    seen.add(s.name.value);
    const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
    return fragment?.kind === Kind.FRAGMENT_DEFINITION && introspects(document, fragment.selectionSet, seen);
  });
}
