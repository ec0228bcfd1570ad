import {
  getNullableType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isScalarType,
  TypeInfo,
  valueFromAST,
  visit,
  visitWithTypeInfo,
  BREAK,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
import { ErrorCode } from "../../kernel/errors.js";
import { DEFAULT_STRING_CAP, MAX_INPUT_LIST, STRING_CAPS } from "./input-caps.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The edge's checks on every argument of an operation, literal or from a variable, down into input objects:
 * every ID is a UUID (all of the product's ids are), no string carries a NUL byte (PostgreSQL's text refuses
 * it), and no string or list is longer than its field takes. Values are already coerced to their types; this
 * runs once per operation, so no query, service or repository needs to guard against such values itself.
 */
export function checkInputs(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>): GraphQLError | undefined {
  const typeInfo = new TypeInfo(schema);
  let found: GraphQLError | undefined;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(node) {
        const argument = typeInfo.getArgument();
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        if (!argument || !field || !parent) return; // directive arguments: Booleans
        const value = valueFromAST(node.value, argument.type, variables);
        const where = `${parent.name}.${field.name}(${argument.name}:)`;
        found = checkValue(argument.type, value, where, argument.name);
        if (found) return BREAK;
      },
    }),
  );
  return found;
}

function checkValue(type: GraphQLInputType, value: unknown, coordinate: string, label: string): GraphQLError | undefined {
  if (value === null || value === undefined) return undefined;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    if (items.length > MAX_INPUT_LIST) return refuse(label, `${label} takes at most ${MAX_INPUT_LIST} items.`);
    for (const item of items) {
      const error = checkValue(nullable.ofType as GraphQLInputType, item, coordinate, label);
      if (error) return error;
    }
    return undefined;
  }
  if (isInputObjectType(nullable)) {
    const fields = nullable.getFields();
    for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      if (!field) continue;
      const error = checkValue(field.type, fieldValue, `${nullable.name}.${name}`, `${label}.${name}`);
      if (error) return error;
    }
    return undefined;
  }
  if (!isScalarType(nullable) || typeof value !== "string") return undefined;
  if (nullable.name === "ID") {
    return UUID.test(value) ? undefined : refuse(label, `${label} is not a valid id: ids are UUIDs, as the API returns them.`);
  }
  if (value.includes("\u0000")) return refuse(label, `${label} contains a NUL character, which no field accepts; remove it.`);
  const cap = STRING_CAPS[coordinate] ?? DEFAULT_STRING_CAP;
  if (value.length > cap) return refuse(label, `${label} is ${value.length} characters long; it takes at most ${cap}.`);
  return undefined;
}

const refuse = (field: string, message: string) =>
  new GraphQLError(message, { extensions: { code: ErrorCode.INVALID_INPUT, field, graphqlCode: "BAD_USER_INPUT" } });
