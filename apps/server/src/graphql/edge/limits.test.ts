import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { Kind, parse, print, validate, type OperationDefinitionNode } from "graphql";
import { buildAppSchema } from "../schema.js";
import { createInProcessPubSub } from "../pubsub.js";
import { dashboardDocuments } from "../../test/dashboard-documents.js";
import { DEFAULT_LIMITS, limitRules, parseOptions, type GraphQLLimits } from "./limits.js";
import { operationCost } from "./cost.js";
import { DEFAULT_STRING_CAP, STRING_CAPS } from "./input-caps.js";

const schema = await buildAppSchema({ pubsub: createInProcessPubSub() });
const half: GraphQLLimits = Object.fromEntries(Object.entries(DEFAULT_LIMITS).map(([k, v]) => [k, Math.floor(v / 2)])) as never;
/** The dashboard's page sizes (RUNS_PAGE_SIZE); Apollo Client adds __typename to every selection. */
const VARIABLES = { first: 20 };

describe("GraphQL limits", () => {
  const documents = dashboardDocuments();

  it("reads every operation the dashboard sends", () => {
    expect(documents.size).toBeGreaterThan(30);
    expect([...documents.keys()]).toEqual(expect.arrayContaining(["StoragePage", "VolumeRowsRefresh(100)", "StorageVolumeChanged"]));
  });

  it.each([...documents.keys()])("passes %s at half of every default limit", (name) => {
    const document = withTypename(documents.get(name)!);
    const reparsed = parse(print(document), parseOptions(half));
    expect(validate(schema, reparsed, limitRules(half)).map((e) => e.message)).toEqual([]);
    const operation = reparsed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
    expect(operationCost(schema, reparsed, operation, VARIABLES, DEFAULT_LIMITS.assumedListSize)).toBeLessThanOrEqual(half.maxCost);
  });

  it("refuses 5,000 aliases while parsing, 300 aliases by name, and four nested lists by their cost", () => {
    const aliases = `{ ${Array.from({ length: 5000 }, (_, i) => `a${i}: workspaces { id }`).join(" ")} }`;
    expect(() => parse(aliases, parseOptions(DEFAULT_LIMITS))).toThrow(/Document contains more tha?t 5000 tokens/);
    const few = `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: me { id }`).join(" ")} }`;
    const errors = validate(schema, parse(few), limitRules(DEFAULT_LIMITS));
    expect(errors.map((e) => [e.message, e.extensions["limit"]])).toContainEqual([
      "Aliases limit of 200 exceeded, found 300. Split the operation or ask for less.",
      "aliases",
    ]);
    const nested = parse(`{ workspaces { applications { backups { runs(first: 100) { nodes { id } } } } } }`);
    const operation = nested.definitions[0] as OperationDefinitionNode;
    expect(operationCost(schema, nested, operation, {}, DEFAULT_LIMITS.assumedListSize)).toBeGreaterThan(DEFAULT_LIMITS.maxCost);
  });

  it("declares string caps only for fields that exist", () => {
    const known = new Set<string>();
    for (const type of Object.values(schema.getTypeMap())) {
      if ("getFields" in type && !type.name.startsWith("__")) {
        for (const field of Object.values(type.getFields())) {
          known.add(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : []) known.add(`${type.name}.${field.name}(${arg.name}:)`);
        }
      }
    }
    expect(Object.keys(STRING_CAPS).filter((c) => !known.has(c))).toEqual([]);
    expect(STRING_CAPS["BackupFunctionInput.script"]).toBeGreaterThan(DEFAULT_STRING_CAP);
  });
});

function withTypename<T>(node: T): T {
  return JSON.parse(JSON.stringify(node), (_key, value: unknown) => {
    const set = value as { kind?: string; selections?: Array<{ kind: string; name?: { value: string } }> };
    if (set?.kind === Kind.SELECTION_SET && set.selections && !set.selections.some((s) => s.name?.value === "__typename")) {
      return { ...set, selections: [...set.selections, { kind: Kind.FIELD, name: { kind: Kind.NAME, value: "__typename" } }] };
    }
    return value;
  }) as T;
}
