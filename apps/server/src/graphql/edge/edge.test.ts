import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isCompositeType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type OperationTypeNode,
} from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, type Logger } from "../../logger.js";
import { startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";

/**
 * Walks every root field of the emitted schema (schema/schema.graphql), so a new field is covered without anyone
 * remembering to: each argument, down into input objects, gets NUL strings, ids that are not UUIDs and variables
 * of the wrong type, as an admin and anonymously, over HTTP and graphql-ws. Every one must come back as the
 * caller's mistake (INVALID_INPUT, with a sentence), and the server must log nothing as unexpected.
 */
const schemaFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../../schema/schema.graphql");
const schema = buildSchema(readFileSync(schemaFile, "utf8"));

interface Case {
  what: string;
  operation: "query" | "mutation" | "subscription";
  query: string;
  variables: Record<string, unknown>;
}

const UUID = "7b0e2a9c-3f1d-4c55-9a7e-0d6b8f1e2c3a";

/** A value of the type that passes coercion, with every optional input field set too, so every path exists. */
function sample(type: GraphQLInputType): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [sample(nullable.ofType as GraphQLInputType)];
  if (isInputObjectType(nullable)) return Object.fromEntries(Object.values(nullable.getFields()).map((f) => [f.name, sample(f.type)]));
  if (isEnumType(nullable)) return nullable.getValues()[0]!.value;
  return { ID: UUID, String: "x", Int: 1, Float: 1, Boolean: false }[nullable.name as "ID"] ?? "x";
}

/** The bad values for a leaf of this type: what the issue measured, and a wrong type for every kind of scalar. */
function badValues(type: GraphQLInputType): Array<[string, unknown]> {
  const named = getNamedType(type).name;
  const bad: Array<[string, unknown]> = [];
  if (isNonNullType(type)) bad.push(["null for a non-null", null]);
  if (named === "String") bad.push(["a NUL byte", "a\u0000b"], ["an object", { a: 1 }]);
  if (named === "ID")
    bad.push(["100 KB of text", "x".repeat(100_000)], ["an emoji", "🙂"], ["a NUL byte", "a\u0000b"], ["an object", { a: 1 }]);
  if (named === "Int") bad.push(['"12"', "12"], ["2^31", 2 ** 31], ["1.5", 1.5]);
  if (named === "Float") bad.push(['"12"', "12"]);
  if (named === "Boolean") bad.push(["a string", "yes"]);
  if (isEnumType(getNamedType(type))) bad.push(["an unknown value", "NOPE"]);
  return bad;
}

/** Every leaf under a value, by path, with its type. */
function leaves(type: GraphQLInputType, trail: string[]): Array<{ trail: string[]; type: GraphQLInputType }> {
  const nullable = getNullableType(type);
  const own = [{ trail, type }];
  if (isInputObjectType(nullable))
    return [...own, ...Object.values(nullable.getFields()).flatMap((f) => leaves(f.type, [...trail, f.name]))];
  return own;
}

function setAt(value: Record<string, unknown>, trail: string[], leaf: unknown): Record<string, unknown> {
  const copy = structuredClone(value);
  let at: Record<string, unknown> = copy;
  for (const key of trail.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[trail.at(-1)!] = leaf;
  return copy;
}

function cases(): Case[] {
  const all: Case[] = [];
  for (const operation of ["query", "mutation", "subscription"] as const) {
    const root = schema.getRootType(operation as OperationTypeNode);
    for (const field of Object.values(root?.getFields() ?? {}) as Array<GraphQLField<unknown, unknown>>) {
      if (!field.args.length) continue;
      const definitions = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(", ");
      const args = field.args.map((a) => `${a.name}: $${a.name}`).join(", ");
      const selection = isCompositeType(getNamedType(field.type)) ? " { __typename }" : "";
      const query = `${operation} Fuzz(${definitions}) { ${field.name}(${args})${selection} }`;
      const base = Object.fromEntries(field.args.map((a) => [a.name, sample(a.type)]));
      for (const arg of field.args)
        for (const leaf of leaves(arg.type, [arg.name]))
          for (const [label, value] of badValues(leaf.type))
            all.push({
              what: `${field.name}(${leaf.trail.join(".")}): ${label}`,
              operation,
              query,
              variables: setAt(base, leaf.trail, value),
            });
    }
  }
  return all;
}

describe("the edge", () => {
  let stack: TestStack;
  let admin: GraphQLClient;
  const unexpected: string[] = [];
  const all = cases();

  beforeAll(async () => {
    const base = createLogger({ silent: true });
    const logger: Logger = { ...base, error: (message, fields) => void unexpected.push(`${message} ${JSON.stringify(fields)}`) };
    stack = await startStack({ logger });
    admin = await stack.login("admin@acme.test");
  }, 60_000);
  afterAll(() => stack?.stop());

  it("walks every root field that takes arguments", () => {
    const fields = new Set(all.map((c) => c.what.split("(")[0]));
    for (const name of ["login", "replyToAssistant", "createBackup", "workspace", "assistantConversation", "storageVolumeChanged"])
      expect(fields).toContain(name);
    expect(all.length).toBeGreaterThan(200);
  });

  it.each(["admin", "anonymous"] as const)(
    "answers every bad value with INVALID_INPUT over HTTP and graphql-ws (%s)",
    async (who) => {
      const client = who === "admin" ? admin : stack.anonymous();
      const ws = client.subscriptions();
      const wrong: string[] = [];
      try {
        for (const c of all) {
          const results: Array<[string, WsResult]> = [["ws", await overWs(ws, c)]];
          if (c.operation !== "subscription") results.push(["http", await client.request(c.query, c.variables)]);
          for (const [transport, result] of results) {
            const error = result.errors?.[0];
            if (error?.extensions?.code !== "INVALID_INPUT" || !/\w+ \w+/.test(error.message))
              wrong.push(`${transport} ${c.what}: ${JSON.stringify(result).slice(0, 300)}`);
          }
        }
      } finally {
        await ws.dispose();
      }
      expect(wrong).toEqual([]);
      expect(unexpected).toEqual([]);
    },
    300_000,
  );

  it("says batching is not accepted, as the caller's mistake", async () => {
    const res = await fetch(`${stack.app.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ query: "{ me { id } }" }, { query: "{ me { id } }" }]),
    });
    const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(res.status).toBe(400);
    expect(body.errors[0]).toMatchObject({
      message: expect.stringMatching(/Batched requests .* are not accepted/),
      extensions: { code: "INVALID_INPUT" },
    });
    expect(unexpected).toEqual([]);
  });

  it("refuses a 1 MB document of aliases before reading it, and a body that is not JSON, with a code and a sentence", async () => {
    const aliases = Array.from({ length: 50_000 }, (_, i) => `a${i}: workspaces { id }`).join(" ");
    const large = await fetch(`${stack.app.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin.token}` },
      body: JSON.stringify({ query: `{ ${aliases} }` }),
    });
    expect(large.status).toBe(413);
    expect(((await large.json()) as { errors: unknown[] }).errors[0]).toMatchObject({
      message: expect.stringMatching(/larger than 262144 bytes \(HKS_GRAPHQL_MAX_BODY_BYTES\)/),
      extensions: { code: "INVALID_INPUT", limit: "body" },
    });
    const broken = await fetch(`${stack.app.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{ query",
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { errors: unknown[] }).errors[0]).toMatchObject({ extensions: { code: "INVALID_INPUT" } });
    expect(unexpected).toEqual([]);
  });

  it("refuses a request over a limit in its own words, with the limit's name", async () => {
    const result = await admin.request(`{ ${Array.from({ length: 201 }, (_, i) => `a${i}: me { id }`).join(" ")} }`);
    const deep = await admin.request(`{ workspaces { applications { backups { runs(first: 100) { nodes { id } } } } } }`);
    expect(deep.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Cost limit of 5000 exceeded/),
      extensions: { code: "INVALID_INPUT", limit: "cost" },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: "INVALID_INPUT", limit: "aliases" });
  });
});

type WsResult = { errors?: Array<{ message: string; extensions?: { code?: string } }> };

function overWs(client: ReturnType<GraphQLClient["subscriptions"]>, c: Case): Promise<WsResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: WsResult) => {
      if (settled) return;
      settled = true;
      unsubscribe();
      resolve(result);
    };
    const unsubscribe = client.subscribe(
      { query: c.query, variables: c.variables },
      {
        next: (value) => done(value as WsResult),
        error: (error) => done(Array.isArray(error) ? { errors: error as WsResult["errors"] } : { errors: [{ message: String(error) }] }),
        complete: () => done({}),
      },
    );
  });
}
