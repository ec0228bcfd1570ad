import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from "graphql";
import { Lru } from "../lru.js";

/** A subscribe message's document, parsed and validated once for every socket that sends the same text. */
export type CachedDocument =
  { ok: true; document: DocumentNode; operations: Map<string, CachedOperation | null> } | { ok: false; errors: readonly GraphQLError[] };

/** One operation of a document, with what the fan-out needs to know about it, worked out once. */
export interface CachedOperation {
  definition: OperationDefinitionNode;
  /** Set lazily by the fan-out: the first field that reads the viewer, or null when none does. */
  viewerDependentField?: string | null;
}

/** Longer texts are parsed each time: caching them would let a client pin megabytes per entry. */
const MAX_CACHED_TEXT = 64 * 1024;

/**
 * A bounded LRU of documents by their text. 5,000 dashboards subscribing with the same text parse and
 * validate it once; a validation failure is cached too, so a client repeating a bad document costs a lookup.
 * Errors carry the code Apollo gives the same failures over HTTP, so both transports format them alike.
 */
export class DocumentCache {
  private readonly entries: Lru<string, CachedDocument>;
  private readonly rules: readonly ValidationRule[];
  private readonly parseOptions: ParseOptions | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    options: { capacity?: number; rules?: readonly ValidationRule[]; parseOptions?: ParseOptions } = {},
  ) {
    this.entries = new Lru(options.capacity ?? 1_000);
    this.rules = [...specifiedRules, ...(options.rules ?? [])];
    this.parseOptions = options.parseOptions;
  }

  get size(): number {
    return this.entries.size;
  }

  get(text: string): CachedDocument {
    return this.entries.getOrLoad(
      text,
      () => this.load(text),
      () => text.length <= MAX_CACHED_TEXT,
    );
  }

  /** The operation a subscribe message names (or the only one), or null when there is none such. */
  static operation(entry: CachedDocument & { ok: true }, operationName: string | null | undefined): CachedOperation | null {
    const name = operationName ?? "";
    let operation = entry.operations.get(name);
    if (operation === undefined) {
      const definition = getOperationAST(entry.document, operationName);
      operation = definition ? { definition } : null;
      entry.operations.set(name, operation);
    }
    return operation;
  }

  private load(text: string): CachedDocument {
    let document: DocumentNode;
    try {
      document = parse(text, this.parseOptions);
    } catch (error) {
      if (error instanceof GraphQLError) return { ok: false, errors: [withCode(error, "GRAPHQL_PARSE_FAILED")] };
      throw error;
    }
    const errors = validate(this.schema, document, this.rules);
    if (errors.length > 0) return { ok: false, errors: errors.map((e) => withCode(e, "GRAPHQL_VALIDATION_FAILED")) };
    return { ok: true, document, operations: new Map() };
  }
}

export function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}
