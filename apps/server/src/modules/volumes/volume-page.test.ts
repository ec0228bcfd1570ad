import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";

/**
 * The Storage table's list against the real PostgreSQL: every order and direction pages through the same rows a
 * sort of all of them gives, filters and the total agree, page cursors jump, and bad input is refused in words.
 */
const PAGE = `query($id: ID!, $first: Int, $after: String, $sort: StorageVolumeSort, $filter: StorageVolumeFilter) {
  workspace(id: $id) { storageVolumePage(first: $first, after: $after, sort: $sort, filter: $filter) {
    totalCount pageCursors edges { cursor node { id name sizeGiB status node usage { percent } } } pageInfo { hasNextPage endCursor }
  } } }`;

interface Row {
  id: string;
  name: string;
  sizeGiB: number;
  status: string;
  node: string | null;
  createdAt: Date;
  ratio: number | null;
  fullAt: Date | null;
}
interface Page {
  totalCount: number;
  pageCursors: string[];
  edges: Array<{ cursor: string; node: { id: string; name: string } }>;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

let stack: TestStack;
let admin: GraphQLClient;
let acme: string;
const rows: Row[] = [];
const GiB = 1024 ** 3;

beforeAll(async () => {
  stack = await startStack();
  admin = await stack.login("admin@acme.test");
  acme = await stack.workspaceId("acme");
  const statuses = ["AVAILABLE", "AVAILABLE", "FAILED", "EXPANDING", "PROVISIONING", "DELETED"];
  const start = Date.parse("2026-01-01T00:00:00Z");
  for (let i = 0; i < 30; i++) {
    rows.push({
      id: randomUUID(),
      name: `pg-${String((i * 7) % 30).padStart(2, "0")}`,
      // Few distinct sizes and a shared creation time for some: equal keys, ordered by id.
      sizeGiB: [5, 10, 20][i % 3]!,
      status: statuses[i % statuses.length]!,
      node: i % 4 === 0 ? null : i % 2 ? "pve1" : "pve2",
      // Microseconds apart: a cursor that rounded to milliseconds would skip or repeat these.
      createdAt: new Date(start + Math.floor(i / 2)),
      ratio: i % 5 === 0 ? null : ((i * 37) % 100) / 100,
      fullAt: i % 3 === 0 ? new Date(start + 86_400_000 * ((i * 11) % 13)) : null,
    });
  }
  for (const [i, r] of rows.entries()) {
    await stack.database.db.execute(sql`
      insert into storage_volumes (id, workspace_id, name, size_gib, status, node, storage, disk_name, storage_class_name, persistent_volume_name, created_at)
      values (${r.id}, ${acme}, ${r.name}, ${r.sizeGiB}, ${r.status}, ${r.node}, 'local-lvm', ${`disk-${r.name}-${i}`}, ${`hks-${r.name}`},
              ${`hks-acme-${r.name}`}, ${r.createdAt.toISOString()}::timestamptz + ${i % 2} * interval '1 microsecond')`);
    if (r.ratio !== null) {
      await stack.database.db.execute(sql`
        insert into volume_usage (volume_id, workspace_id, sampled_at, used_bytes, capacity_bytes, estimated_full_at, window_from,
                                  trend_base_bytes, trend_samples, trend_sum_x, trend_sum_y, trend_sum_xy, trend_sum_xx)
        values (${r.id}, ${acme}, now(), ${Math.round(r.ratio * r.sizeGiB * GiB)}, ${r.sizeGiB * GiB}, ${r.fullAt?.toISOString() ?? null},
                now(), 0, 0, 0, 0, 0, 0)`);
    }
  }
  // Rows of this test only: any volume the stack seeded itself is left out of the expectations by name.
});
afterAll(() => stack?.stop());

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
const KEY: Record<string, (r: Row, i: number) => string | number> = {
  NAME: (r) => r.name,
  SIZE: (r) => r.sizeGiB,
  STATUS: (r) => ["PROVISIONING", "AVAILABLE", "EXPANDING", "DELETING", "DELETED", "FAILED"].indexOf(r.status),
  CREATED: (r) => r.createdAt.getTime() * 10 + (rows.indexOf(r) % 2),
  NODE: (r) => r.node ?? "",
  USAGE: (r) => (r.ratio === null ? -1 : Math.round(r.ratio * r.sizeGiB * GiB) / (r.sizeGiB * GiB)),
  ESTIMATED_FULL: (r) => (r.ratio !== null && r.fullAt ? r.fullAt.getTime() : Infinity),
};

function expected(key: string, direction: "ASC" | "DESC", keep: (r: Row) => boolean = () => true): string[] {
  const sign = direction === "ASC" ? 1 : -1;
  return rows
    .filter((r) => r.status !== "DELETED" && keep(r))
    .sort((a, b) => sign * (cmp(KEY[key]!(a, 0), KEY[key]!(b, 0)) || cmp(a.id, b.id)))
    .map((r) => r.id);
}

async function page(variables: Record<string, unknown>): Promise<Page> {
  return (await admin.data<{ workspace: { storageVolumePage: Page } }>(PAGE, { id: acme, ...variables })).workspace.storageVolumePage;
}

async function all(sort: Record<string, unknown>, filter?: Record<string, unknown>, first = 7): Promise<{ ids: string[]; pages: Page[] }> {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    const p: Page = await page({ first, after, sort, filter });
    pages.push(p);
    after = p.pageInfo.hasNextPage ? p.pageInfo.endCursor : null;
  } while (after);
  const mine = new Set(rows.map((r) => r.id));
  return { ids: pages.flatMap((p) => p.edges.map((e) => e.node.id)).filter((id) => mine.has(id)), pages };
}

describe("storageVolumePage", () => {
  it.each(Object.keys(KEY).flatMap((key) => [[key, "ASC"] as const, [key, "DESC"] as const]))(
    "pages through every volume sorted by %s %s, ties in id order, with the total on every page",
    async (key, direction) => {
      const { ids, pages } = await all({ key, direction });
      expect(ids).toEqual(expected(key, direction));
      const total = pages[0]!.totalCount;
      expect(total).toBeGreaterThanOrEqual(25);
      expect(pages.every((p) => p.totalCount === total && p.edges.length <= 7)).toBe(true);
      expect(pages.flatMap((p) => p.edges).length).toBe(total);
    },
  );

  it("filters by search, status and node on the server, and counts what matches", async () => {
    const search = await all({ key: "NAME", direction: "ASC" }, { search: "PG-1" });
    expect(search.ids).toEqual(expected("NAME", "ASC", (r) => r.name.includes("pg-1")));
    expect(search.pages[0]!.totalCount).toBe(search.ids.length);

    const failed = await all({ key: "SIZE", direction: "DESC" }, { statuses: ["FAILED", "EXPANDING"] });
    expect(failed.ids).toEqual(expected("SIZE", "DESC", (r) => r.status === "FAILED" || r.status === "EXPANDING"));

    const onNode = await all({ key: "USAGE", direction: "DESC" }, { node: "pve1", search: "expanding" }, 2);
    expect(onNode.ids).toEqual(expected("USAGE", "DESC", (r) => r.node === "pve1" && r.status === "EXPANDING"));
    expect(onNode.ids.length).toBeGreaterThan(0);

    const deleted = await page({ first: 100, filter: { includeDeleted: true, statuses: ["DELETED"] } });
    expect(deleted.edges.map((e) => e.node.id).sort()).toEqual(
      rows
        .filter((r) => r.status === "DELETED")
        .map((r) => r.id)
        .sort(),
    );

    const none = await page({ first: 10, filter: { search: "100%_no" } });
    expect(none).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it("hands out the cursor of every page, so a far page is one keyset query away", async () => {
    const sort = { key: "SIZE", direction: "DESC" };
    const first = await page({ first: 5, sort });
    const everything = (await all(sort, undefined, 100)).ids;
    expect(first.pageCursors.length).toBe(Math.floor(first.totalCount / 5));
    const third = await page({ first: 5, sort, after: first.pageCursors[1] });
    const mine = new Set(rows.map((r) => r.id));
    const wanted = (await all(sort, undefined, 5)).pages[2]!.edges.map((e) => e.node.id);
    expect(third.edges.map((e) => e.node.id)).toEqual(wanted);
    expect(wanted.filter((id) => mine.has(id))).toEqual(everything.filter((id) => wanted.includes(id)));
  });

  it("refuses a cursor of another order, a made-up cursor and a page out of range, saying what to do", async () => {
    const byName = await page({ first: 3, sort: { key: "NAME", direction: "ASC" } });
    const other = await admin.error(PAGE, {
      id: acme,
      first: 3,
      after: byName.pageInfo.endCursor,
      sort: { key: "SIZE", direction: "ASC" },
    });
    expect(other).toMatchObject({ code: "INVALID_INPUT", field: "after" });
    expect(other.message).toBe(
      "The cursor 'after' belongs to the list sorted by NAME ASC, not SIZE ASC; start again from the first page of this sort.",
    );
    const flipped = await admin.error(PAGE, {
      id: acme,
      first: 3,
      after: byName.pageInfo.endCursor,
      sort: { key: "NAME", direction: "DESC" },
    });
    expect(flipped.code).toBe("INVALID_INPUT");

    const junk = await admin.error(PAGE, { id: acme, first: 3, after: "not-a-cursor" });
    expect(junk).toMatchObject({ code: "INVALID_INPUT", field: "after" });
    expect(junk.message).toMatch(/start again from the first page/);

    for (const first of [0, -1, 501]) {
      const error = await admin.error(PAGE, { id: acme, first });
      expect(error).toMatchObject({ code: "INVALID_INPUT", field: "first" });
      expect(error.message).toBe("'first' must be a whole number from 1 to 500; ask for the next page with 'after'.");
    }
    const longSearch = await admin.error(PAGE, { id: acme, first: 3, filter: { search: "x".repeat(101) } });
    expect(longSearch).toMatchObject({ code: "INVALID_INPUT", field: "filter.search" });
  });

  it("prices the page by `first` in the cost limit", async () => {
    // 500 rows with their usage fit; the same selection under an unpaged list of workspaces would not.
    const big = await page({ first: 500 });
    expect(big.edges.length).toBeGreaterThan(0);
    const nested = await admin.error(
      `query { workspaces { storageVolumePage(first: 500) { edges { node { usage { percent } backupWriters { id } } } } } }`,
    );
    expect(nested.code).toBe("INVALID_INPUT");
    expect(nested.message).toMatch(/cost/i);
  });

  it("reads each order through its index", async () => {
    // Planner choice on 30 rows would be a scan whatever the indexes; without scans it must find an index that fits.
    await stack.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_sort = off`);
      for (const [expr, index] of [
        ["name", "storage_volumes_by_name"],
        ["size_gib", "storage_volumes_by_size"],
        ["status", "storage_volumes_by_status"],
        ["coalesce(node, '')", "storage_volumes_by_node"],
        ["created_at", "storage_volumes_workspace"],
      ]) {
        const plan = await tx.execute(
          sql.raw(
            `explain select id from storage_volumes where workspace_id = '${acme}' and status <> 'DELETED' order by ${expr} desc, id desc limit 8`,
          ),
        );
        const text = JSON.stringify(plan);
        expect(text, expr).toContain(index);
      }
    });
  });
});

describe("storageClassNames", () => {
  const NAMES = `query ($id: ID!, $search: String, $first: Int) { workspace(id: $id) { storageClassNames(search: $search, first: $first) } }`;
  const names = async (variables: Record<string, unknown>) =>
    (await admin.data<{ workspace: { storageClassNames: string[] } }>(NAMES, { id: acme, ...variables })).workspace.storageClassNames;

  it("gives the quota dialog the StorageClasses of live volumes, searched and cut by the server, in name order", async () => {
    const live = [...new Set(rows.filter((r) => r.status !== "DELETED").map((r) => `hks-${r.name}`))].sort();
    const some = await names({ search: "PG-0", first: 200 });
    expect(some).toEqual(live.filter((n) => n.startsWith("hks-pg-0")));
    // A deleted volume's StorageClass is not offered.
    const deleted = rows.filter((r) => r.status === "DELETED" && !live.includes(`hks-${r.name}`)).map((r) => `hks-${r.name}`);
    expect(deleted.length).toBeGreaterThan(0);
    const searched = await names({ search: "pg", first: 200 });
    for (const gone of deleted) expect(searched).not.toContain(gone);
    // The first three in name order, and a search's wildcards taken literally.
    expect(await names({ search: "pg-", first: 3 })).toEqual(live.slice(0, 3));
    expect(await names({ search: "pg_%" })).toEqual([]);

    const tooMany = await admin.error(NAMES, { id: acme, first: 201 });
    expect(tooMany).toMatchObject({ code: "INVALID_INPUT", field: "first" });
    expect(tooMany.message).toBe("Ask for 1 to 200 StorageClass names at a time.");
  });
});
