import { serverAudits } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type TestStack } from "../../test/harness.js";

/** GraphQL over HTTP as its spec says (graphql-http's audit suite), and what production hides from anonymous callers. */
describe("GraphQL over HTTP", () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startStack({ production: true });
  }, 60_000);
  afterAll(() => stack?.stop());

  it("passes every MUST and SHOULD of the GraphQL-over-HTTP audit", async () => {
    // Signed in: the audit's operations introspect (`__type`), which production keeps from anonymous callers.
    const { token } = await stack.login("dev@acme.test");
    const fetchFn = (url: string, init: RequestInit = {}) =>
      fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` } });
    const failed: string[] = [];
    for (const audit of serverAudits({ url: `${stack.app.url}/graphql`, fetchFn })) {
      const result = await audit.fn();
      if (result.status !== "ok" && !audit.name.startsWith("MAY")) failed.push(`${audit.name}: ${result.reason}`);
    }
    expect(failed).toEqual([]);
  });

  it("keeps introspection and field suggestions from callers who are not signed in, in production", async () => {
    const anonymous = stack.anonymous();
    expect(await anonymous.error("{ __schema { types { name } } }")).toMatchObject({ code: "UNAUTHENTICATED" });
    const typo = await anonymous.error('{ workspace(id: "x") { nmae } }');
    expect(typo.code).toBe("INVALID_INPUT");
    expect(typo.message).not.toMatch(/Did you mean/);

    const admin = await stack.login("admin@acme.test");
    const { __schema } = await admin.data<{ __schema: { types: unknown[] } }>("{ __schema { types { name } } }");
    expect(__schema.types.length).toBeGreaterThan(10);
    expect((await admin.error("{ workspaces { nmae } }")).message).toMatch(/Did you mean "name"\?/);
  });
});
