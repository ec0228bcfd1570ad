import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type FieldNode,
} from "graphql";

/** Arguments that say how many items a list field returns. */
const PAGE_ARGUMENTS = ["first", "last", "count", "hours"] as const;

/**
 * What an operation will cost to answer, before it runs: every field returning an object counts 1 (scalars
 * are free, they come with their object), and everything under a list field counts as many times as the list
 * is long — its first/last/count (or hours of samples) argument, as sent or defaulted, or `assumedListSize` for a
 * list with no page argument (inside a connection — an object field with a page argument — the connection's page size).
 * Variables are known here, so `first: $n` is priced at the n the client sent.
 * This is the Apollo Router / IBM cost model; GraphQL Armor's cost rule cannot serve it, as it sees neither
 * variables nor unpaged lists (it prices `workspaces { applications { backups { runs } } }` as four objects).
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  assumedListSize: number,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;

  // `page` is the size of the connection the selection belongs to (see fieldCost), for the lists inside it.
  const selectionCost = (type: GraphQLCompositeType, selectionSet: SelectionSetNode, depth: number, page?: number): number => {
    // Validation has already refused cycles and deep documents; this only guards the recursion itself.
    if (depth > 64) return Infinity;
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) cost += fieldCost(type, selection, depth, page);
      else {
        const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!fragment) continue;
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
        if (condition && isCompositeType(condition)) cost += selectionCost(condition, fragment.selectionSet, depth + 1, page);
      }
    }
    return cost;
  };

  const fieldCost = (parent: GraphQLCompositeType, node: FieldNode, depth: number, page?: number): number => {
    if (!isObjectType(parent) && !isInterfaceType(parent)) return 0;
    const field = parent.getFields()[node.name.value];
    if (!field) return 0;
    const named = getNamedType(field.type);
    const list = isListType(getNullableType(field.type));
    // A connection (an object with a page argument): its edges and nodes lists are as long as the page it asks for.
    const connectionPage = list ? undefined : pageSize(field, node, variables);
    let cost = isCompositeType(named) ? 1 : 0;
    if (node.selectionSet && isCompositeType(named)) cost += selectionCost(named, node.selectionSet, depth + 1, connectionPage);
    return list ? cost * (pageSize(field, node, variables) ?? page ?? assumedListSize) : cost;
  };

  return selectionCost(root, operation.selectionSet, 0);
}

function pageSize(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): number | undefined {
  for (const name of PAGE_ARGUMENTS) {
    const argument = field.args.find((a) => a.name === name);
    if (!argument) continue;
    const given = node.arguments?.find((a) => a.name.value === name);
    const value = given ? valueFromAST(given.value, argument.type, variables) : argument.defaultValue;
    if (typeof value === "number" && Number.isFinite(value)) return Math.max(1, value);
  }
  return undefined;
}
