import {
  Kind,
  getNamedType,
  isAbstractType,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/**
 * The first field of an operation whose result may depend on who is asking, as `Type.field`, or null
 * when none does. Such an operation's events cannot be executed once for subscribers who are different
 * people. A field is independent of the viewer when graphql-js reads it off its parent (no resolver),
 * or when it is listed in `independent` (someone read the resolver and said why). Everything else counts
 * as dependent, so a new resolver is never shared across viewers by accident. A root subscription field
 * is never resolver-free: listing it also vouches that its source stream depends on its arguments only.
 */
export function firstViewerDependentField(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  independent: ReadonlySet<string>,
): string | null {
  const root = schema.getRootType(operation.operation);
  if (!root) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  const visit = (selectionSet: SelectionSetNode, types: readonly GraphQLObjectType[]): string | null => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith("__")) continue; // introspection: the same for everyone
        const next: GraphQLObjectType[] = [];
        for (const type of types) {
          const field = type.getFields()[name];
          if (!field) continue;
          const coordinate = `${type.name}.${name}`;
          const resolverFree = field.resolve === undefined && field.subscribe === undefined;
          if (!resolverFree && !independent.has(coordinate)) return coordinate;
          const named = getNamedType(field.type);
          if (isObjectType(named)) next.push(named);
          else if (isAbstractType(named)) next.push(...schema.getPossibleTypes(named));
        }
        if (selection.selectionSet) {
          const found = visit(selection.selectionSet, next);
          if (found) return found;
        }
      } else {
        const definition = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments.get(selection.name.value);
        if (!definition) continue;
        const condition = definition.typeCondition ? schema.getType(definition.typeCondition.name.value) : undefined;
        const narrowed = condition
          ? types.filter((t) => t === condition || (isAbstractType(condition) && schema.isSubType(condition, t)))
          : types;
        const found = visit(definition.selectionSet, narrowed);
        if (found) return found;
      }
    }
    return null;
  };
  return visit(operation.selectionSet, [root]);
}
