import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applicationId, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";

const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id name } }`;
const PAGE = `query($id: ID!, $first: Int!, $after: String) {
  application(id: $id) { backupPage(first: $first, after: $after) { totalCount nodes { id name } pageInfo { hasNextPage endCursor } } }
}`;

interface Page {
  totalCount: number;
  nodes: Array<{ id: string; name: string }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

let stack: TestStack;
let admin: GraphQLClient;
let member: GraphQLClient;
let shop: string;
const names = ["page-e", "page-a", "page-d", "page-b", "page-c"];

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  member = await stack.login("dev@acme.test");
  const acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
  const volume = await provisionVolume(admin, acme, "page-vol", 50);
  for (const name of names) {
    await admin.data(CREATE, {
      input: {
        applicationId: shop,
        name,
        schedule: "0 2 * * *",
        timeZone: "UTC",
        source: { pvcName: "shop-db-data" },
        destination: { volumeId: volume.id, path: `shop/${name}` },
        function: { kind: "TAR", compression: "ZSTD" },
        format: "PLAIN",
        retention: { keepLast: 3 },
      },
    });
  }
}, 120_000);
afterAll(() => stack?.stop());

const page = async (client: GraphQLClient, first: number, after?: string | null) =>
  (await client.data<{ application: { backupPage: Page } }>(PAGE, { id: shop, first, after: after ?? null })).application.backupPage;

describe("an application's backups a page at a time", () => {
  it("pages them by name with the total on every page, each backup once", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 5; i++) {
      const p: Page = await page(admin, 2, after);
      expect(p.totalCount).toBe(names.length);
      seen.push(...p.nodes.map((n) => n.name));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toEqual([...names].sort());
  });

  it("leaves out a deleted backup, from the page and the total", async () => {
    const first = await page(admin, 50);
    const doomed = first.nodes.find((n) => n.name === "page-c")!;
    await admin.data(`mutation($id: ID!) { deleteBackup(id: $id) { id } }`, { id: doomed.id });
    const after = await page(member, 50);
    expect(after.totalCount).toBe(names.length - 1);
    expect(after.nodes.map((n) => n.name)).toEqual(["page-a", "page-b", "page-d", "page-e"]);
    expect(after.pageInfo).toEqual({ hasNextPage: false, endCursor: after.pageInfo.endCursor });
  });

  it("refuses a cursor of its own making and a page size out of range", async () => {
    expect(await admin.error(PAGE, { id: shop, first: 2, after: "not-a-cursor" })).toMatchObject({ code: "INVALID_INPUT", field: "after" });
    expect(await admin.error(PAGE, { id: shop, first: 0 })).toMatchObject({ code: "INVALID_INPUT", field: "first" });
    expect(await admin.error(PAGE, { id: shop, first: 201 })).toMatchObject({ code: "INVALID_INPUT", field: "first" });
  });
});
