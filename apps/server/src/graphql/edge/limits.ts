import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import {
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { ErrorCode } from "../../kernel/errors.js";

/** What one operation may ask for, checked before anything runs (HTTP and graphql-ws alike). */
export interface GraphQLLimits {
  /** Lexical tokens in a document: stops a megabyte of aliases while it is parsed. */
  maxTokens: number;
  /** Aliased fields in an operation (fragments counted where they are spread). */
  maxAliases: number;
  /** Nesting of selections. */
  maxDepth: number;
  /** Fields at the root of an operation, aliases included. */
  maxRootFields: number;
  /** Directives in an operation. */
  maxDirectives: number;
  /** The operation's cost: every object counts 1, multiplied by the page size of each list it sits in (see cost.ts). */
  maxCost: number;
  /** The page size assumed for a list field that takes no first/last/count argument. */
  assumedListSize: number;
  /** A request body larger than this is refused before it is read: no admissible document comes near it. */
  maxBodyBytes: number;
}

/**
 * Measured against every operation the dashboard sends (limits.test.ts passes them all at half these values).
 * The heaviest: VolumeRowsRefresh at 100 polled rows (~2,000 tokens, 100 aliases), StoragePage (depth 10 counting
 * fragments, 2 root fields), ApplicationsPage (cost ~820).
 */
export const DEFAULT_LIMITS: GraphQLLimits = {
  maxTokens: 5_000,
  maxAliases: 200,
  maxDepth: 20,
  maxRootFields: 10,
  maxDirectives: 20,
  maxCost: 5_000,
  assumedListSize: 20,
  // The largest input (a 64 KiB custom script, JSON-escaped) fits with room; 5,000 tokens of aliases do too.
  maxBodyBytes: 256 * 1024,
};

export const parseOptions = (limits: GraphQLLimits): ParseOptions => ({ maxTokens: limits.maxTokens });

/** A refusal names the limit, its value, and what to do about it; it is the caller's to fix, never logged. */
export function limitError(limit: string, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(`${message} Split the operation or ask for less.`, {
    extensions: { code: ErrorCode.INVALID_INPUT, limit, ...extra },
  });
}

/** The limits as graphql-js validation rules: GraphQL Armor's, plus a root field count Armor does not have. */
export function limitRules(limits: GraphQLLimits): ValidationRule[] {
  return [
    maxAliasesRule({ n: limits.maxAliases, ...reportAs("aliases") }),
    // Depth is the nesting of the answer: a fragment spread adds none, so it is not counted as a level.
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...reportAs("depth") }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportAs("directives") }),
    maxRootFieldsRule(limits.maxRootFields),
  ] as ValidationRule[];
}

/**
 * Armor throws "Syntax Error: Aliases limit of 15 exceeded, found 16." out of validation by default; reported
 * instead, with our code, the limit's name and advice, a client (and formatError) treats it as the caller's.
 */
function reportAs(limit: string) {
  return {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(
          new GraphQLError(`${error.message.replace(/^Syntax Error: /, "")} Split the operation or ask for less.`, {
            extensions: { code: ErrorCode.INVALID_INPUT, limit },
          }),
        ),
    ],
  };
}

export function maxRootFieldsRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation: OperationDefinitionNode) {
      const count = countRootFields(context, operation.selectionSet, new Set());
      if (count > max)
        context.reportError(
          new GraphQLError(`Root fields limit of ${max} exceeded, found ${count}. Split the operation or ask for less.`, {
            nodes: [operation],
            extensions: { code: ErrorCode.INVALID_INPUT, limit: "rootFields" },
          }),
        );
    },
  });
}

function countRootFields(context: ValidationContext, selectionSet: SelectionSetNode, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += selection.name.value === "__typename" ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countRootFields(context, selection.selectionSet, seen);
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countRootFields(context, fragment.selectionSet, seen);
    }
  }
  return count;
}
