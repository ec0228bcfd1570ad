import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotEntries, snapshotIndexes } from "../../db/schema/snapshot-entries.js";
import { applicationId, eventually, provisionVolume, startStack, type GraphQLClient, type TestStack } from "../../test/harness.js";
import { kubeFor } from "../../test/kube.js";

const RUN = `id kind status failureReason message snapshot restoreTarget prunedAt`;
const CREATE = `mutation($input: CreateBackupInput!) { createBackup(input: $input) { id name format } }`;
const RUN_NOW = `mutation($id: ID!) { runBackupNow(id: $id) { id } }`;
const RUNS = `query($id: ID!) { backup(id: $id) { runs(first: 50) { nodes { ${RUN} } } } }`;
const LIST = `query($runId: ID!, $path: String!, $search: String, $offset: Int!, $limit: Int!) {
  snapshotListing(runId: $runId, path: $path, search: $search, offset: $offset, limit: $limit) {
    state path search total offset limit indexedEntries indexDurationMs entries { path name type size mtime } } }`;
const RESTORE = `mutation($input: RestoreSnapshotPathsInput!) { restoreSnapshotPaths(input: $input) { ${RUN} } }`;
const DOWNLOAD = `mutation($runId: ID!, $path: String!) { createSnapshotDownload(runId: $runId, path: $path) { url fileName size expiresAt } }`;

type Run = { id: string; kind: string; status: string; message: string | null; snapshot: string | null; restoreTarget: string | null };
type Entry = { path: string; name: string; type: string; size: number; mtime: string | null };
type Listing = {
  state: string;
  path: string;
  total: number;
  offset: number;
  indexedEntries: number;
  indexDurationMs: number | null;
  entries: Entry[];
};

let stack: TestStack;
let admin: GraphQLClient;
let member: GraphQLClient;
let globex: GraphQLClient;
let acme: string;
let shop: string;
let claimDir: string;
let backup: { id: string };
let first: Run;
let second: Run;
let volumeId: string;
const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const big = randomBytes(200 * 1024);

beforeAll(async () => {
  stack = await startStack();
  [admin, member, globex] = await Promise.all([
    stack.login("admin@acme.test"),
    stack.login("dev@acme.test"),
    stack.login("admin@globex.test"),
  ]);
  acme = await stack.workspaceId("acme");
  shop = await applicationId(admin, acme, "shop");
  const volume = await provisionVolume(admin, acme, "files-vol", 500);
  volumeId = volume.id;
  const claim = await kubeFor(stack.lab, "acme").core.readNamespacedPersistentVolumeClaim({ name: "shop-db-data", namespace: "shop" });
  claimDir = stack.lab.clusters.get("acme")!.volumeFolder(claim.spec!.volumeName!)!;
  // What a user keeps on the claim: a folder of many files (paging), a nested one (search), any bytes (download).
  await mkdir(path.join(claimDir, "exports/2026/december"), { recursive: true });
  for (let i = 0; i < 60; i++) await writeFile(path.join(claimDir, "exports", `row-${String(i).padStart(3, "0")}.csv`), `row ${i}\n`);
  await writeFile(path.join(claimDir, "exports/2026/december/needle-report.csv"), "needle,1\n");
  await writeFile(path.join(claimDir, "exports/needle-top.txt"), "top\n");
  await writeFile(path.join(claimDir, "all-bytes.bin"), allBytes);
  await writeFile(path.join(claimDir, "big.bin"), big);
  backup = (
    await admin.data<{ createBackup: { id: string } }>(CREATE, {
      input: {
        applicationId: shop,
        name: "files",
        schedule: "0 3 * * *",
        source: { pvcName: "shop-db-data" },
        destination: { volumeId: volume.id, path: "shop/files" },
        function: { kind: "TAR" },
        retention: { keepLast: 5 },
      },
    })
  ).createBackup;
  first = await runNow();
  expect(first, JSON.stringify(first)).toMatchObject({ status: "SUCCEEDED" });
}, 180_000);
afterAll(() => stack?.stop());

const runs = async () => (await admin.data<{ backup: { runs: { nodes: Run[] } } }>(RUNS, { id: backup.id })).backup.runs.nodes;
const finished = (id: string) =>
  eventually(
    async () => (await runs()).find((r) => r.id === id && ["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED"].includes(r.status)),
    "the run to finish",
    90_000,
  );
async function runNow() {
  const { id } = (await admin.data<{ runBackupNow: { id: string } }>(RUN_NOW, { id: backup.id })).runBackupNow;
  return finished(id);
}
async function list(vars: { path?: string; search?: string | null; offset?: number; limit?: number }, runId = first.id): Promise<Listing> {
  const variables = { runId, path: "/", search: null, offset: 0, limit: 50, ...vars };
  return eventually(
    async () => {
      const page = (await admin.data<{ snapshotListing: Listing }>(LIST, variables)).snapshotListing;
      return page.state === "READY" ? page : undefined;
    },
    "the snapshot's listing",
    90_000,
  );
}
const restoreRuns = async () => (await runs()).filter((r) => r.kind === "RESTORE").length;
const taskPods = async () =>
  (await kubeFor(stack.lab, "acme").core.listNamespacedPod({ namespace: "shop", labelSelector: "backup.hks.io/snapshot-task" })).items;

describe("browsing a backup run's snapshot", () => {
  it("lists the root, folders first, with sizes and times, read once into the database", async () => {
    const started = Date.now();
    const root = await list({});
    const firstLookMs = Date.now() - started;
    expect(root.entries.map((e) => e.name)).toEqual([
      "base",
      "exports",
      "pg_wal",
      "all-bytes.bin",
      "big.bin",
      "PG_VERSION",
      "postgresql.conf",
    ]);
    const bin = root.entries.find((e) => e.name === "all-bytes.bin")!;
    expect(bin).toMatchObject({ path: "/all-bytes.bin", type: "file", size: 256 });
    expect(Date.parse(bin.mtime!)).toBeGreaterThan(Date.now() - 3600_000);
    expect(root.indexedEntries).toBeGreaterThan(65);
    // After the first look every page is a query: measure it.
    const again = Date.now();
    await list({ path: "/exports" });
    const laterLookMs = Date.now() - again;
    console.log(
      `snapshot listing: first look ${firstLookMs} ms (reading ${root.indexedEntries} entries took ${root.indexDurationMs} ms), a later page ${laterLookMs} ms`,
    );
    expect(laterLookMs).toBeLessThan(firstLookMs);
    expect(await taskPods()).toHaveLength(0);
  });

  it("pages a folder in name order", async () => {
    const page1 = await list({ path: "/exports", limit: 25 });
    const page3 = await list({ path: "/exports/", offset: 50, limit: 25 });
    expect(page1.total).toBe(62);
    expect(page1.entries[0]).toMatchObject({ name: "2026", type: "dir" });
    expect(page1.entries[1]!.name).toBe("needle-top.txt");
    expect(page1.entries).toHaveLength(25);
    // 2026/, needle-top.txt, then row-000 ... row-059: entries 50 to 61 are row-048 to row-059.
    expect(page3.entries.map((e) => e.name)).toEqual(Array.from({ length: 12 }, (_, i) => `row-${String(48 + i).padStart(3, "0")}.csv`));
  });

  it("searches by name below the current folder", async () => {
    const everywhere = await list({ search: "NEEDLE" });
    expect(everywhere.entries.map((e) => e.path)).toEqual(["/exports/2026/december/needle-report.csv", "/exports/needle-top.txt"]);
    const below = await list({ path: "/exports/2026", search: "needle" });
    expect(below.entries.map((e) => e.path)).toEqual(["/exports/2026/december/needle-report.csv"]);
    const none = await list({ path: "/base", search: "needle" });
    expect(none.total).toBe(0);
  });

  it("refuses a folder the snapshot does not hold, and bad paging", async () => {
    expect(await admin.error(LIST, { runId: first.id, path: "/nope", offset: 0, limit: 10 })).toMatchObject({
      code: "INVALID_INPUT",
      field: "path",
    });
    expect(await admin.error(LIST, { runId: first.id, path: "/", offset: 0, limit: 5000 })).toMatchObject({
      code: "INVALID_INPUT",
      field: "limit",
    });
  });

  it("lets a member browse but not another workspace", async () => {
    const page = (await member.data<{ snapshotListing: Listing }>(LIST, { runId: first.id, path: "/", offset: 0, limit: 5 }))
      .snapshotListing;
    expect(page.state).toBe("READY");
    expect(await globex.error(LIST, { runId: first.id, path: "/", offset: 0, limit: 5 })).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("restoring chosen files", () => {
  it("puts a deleted file back in its place, as a RESTORE run", async () => {
    await rm(path.join(claimDir, "exports/needle-top.txt"));
    const { restoreSnapshotPaths: run } = await admin.data<{ restoreSnapshotPaths: Run }>(RESTORE, {
      input: { runId: first.id, paths: ["/exports/needle-top.txt"] },
    });
    expect(run).toMatchObject({ kind: "RESTORE", restoreTarget: "shop/shop-db-data: /exports/needle-top.txt" });
    expect(await finished(run.id), JSON.stringify(await runs())).toMatchObject({ status: "SUCCEEDED" });
    expect(await readFile(path.join(claimDir, "exports/needle-top.txt"), "utf8")).toBe("top\n");
  });

  it("restores a folder into a folder of the claim, leaving the original alone", async () => {
    await writeFile(path.join(claimDir, "exports/2026/december/needle-report.csv"), "changed since\n");
    const { restoreSnapshotPaths: run } = await admin.data<{ restoreSnapshotPaths: Run }>(RESTORE, {
      input: { runId: first.id, paths: ["/exports/2026"], into: "restored/today" },
    });
    expect(await finished(run.id)).toMatchObject({ status: "SUCCEEDED" });
    expect(await readFile(path.join(claimDir, "restored/today/exports/2026/december/needle-report.csv"), "utf8")).toBe("needle,1\n");
    expect(await readFile(path.join(claimDir, "exports/2026/december/needle-report.csv"), "utf8")).toBe("changed since\n");
    await rm(path.join(claimDir, "restored"), { recursive: true });
  });

  it("refuses a path the snapshot does not hold, a member, another workspace: nothing started", async () => {
    const before = await restoreRuns();
    expect(await admin.error(RESTORE, { input: { runId: first.id, paths: ["/exports/missing.csv"] } })).toMatchObject({
      code: "INVALID_INPUT",
      field: "paths",
    });
    expect(await admin.error(RESTORE, { input: { runId: first.id, paths: ["relative/x"] } })).toMatchObject({ code: "INVALID_INPUT" });
    expect(await admin.error(RESTORE, { input: { runId: first.id, paths: ["/x"], into: "../escape" } })).toMatchObject({ field: "into" });
    expect((await member.error(RESTORE, { input: { runId: first.id, paths: ["/all-bytes.bin"] } })).code).toBe("FORBIDDEN");
    expect((await globex.error(RESTORE, { input: { runId: first.id, paths: ["/all-bytes.bin"] } })).code).toBe("NOT_FOUND");
    expect(await restoreRuns()).toBe(before);
  });

  it("refuses an overwrite restore while a Job of the Backup runs", async () => {
    const { id } = (await admin.data<{ runBackupNow: { id: string } }>(RUN_NOW, { id: backup.id })).runBackupNow;
    const before = await restoreRuns();
    const refused = await admin.error(RESTORE, { input: { runId: first.id, paths: ["/all-bytes.bin"], overwrite: true } });
    expect(refused).toMatchObject({ code: "CONFLICT" });
    expect(refused.message).toMatch(/in progress/);
    expect(await restoreRuns()).toBe(before);
    second = await finished(id);
  });

  it("takes over a listing whose server went away (its pod is gone)", async () => {
    await stack.database.db
      .insert(snapshotIndexes)
      .values({ runId: second.id, workspaceId: acme, state: "INDEXING", message: "shop/hks-snapshot-index-gone" });
    const root = await list({}, second.id);
    expect(root.entries.map((e) => e.name)).toContain("all-bytes.bin");
  });
});

describe("downloading one file", () => {
  it("streams any byte through a single-use link, with the file's name", async () => {
    const { createSnapshotDownload: link } = await admin.data<{ createSnapshotDownload: { url: string; fileName: string; size: number } }>(
      DOWNLOAD,
      { runId: first.id, path: "/all-bytes.bin" },
    );
    expect(link).toMatchObject({ fileName: "all-bytes.bin", size: 256 });
    const res = await fetch(`${stack.app.url}${link.url}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toContain('filename="all-bytes.bin"');
    expect(Buffer.from(await res.arrayBuffer()).equals(allBytes)).toBe(true);
    const again = await fetch(`${stack.app.url}${link.url}`);
    expect(again.status).toBe(404);
    expect(((await again.json()) as { errors: Array<{ message: string }> }).errors[0]!.message).toMatch(/already used or has expired/);
  });

  it("streams a larger file whole, and stops its pod when the client goes away", async () => {
    const mint = async () =>
      (await admin.data<{ createSnapshotDownload: { url: string } }>(DOWNLOAD, { runId: first.id, path: "/big.bin" }))
        .createSnapshotDownload.url;
    const res = await fetch(`${stack.app.url}${await mint()}`);
    const body = Buffer.from(await res.arrayBuffer());
    expect(createHash("sha256").update(body).digest("hex")).toBe(createHash("sha256").update(big).digest("hex"));
    const abort = new AbortController();
    const partial = await fetch(`${stack.app.url}${await mint()}`, { signal: abort.signal });
    const reader = partial.body!.getReader();
    await reader.read();
    abort.abort();
    await eventually(async () => ((await taskPods()).length === 0 ? true : undefined), "the download pod to be deleted", 20_000);
  });

  it("refuses a folder, a path the snapshot does not hold, and a member", async () => {
    const folder = await admin.error(DOWNLOAD, { runId: first.id, path: "/exports" });
    expect(folder).toMatchObject({ code: "INVALID_INPUT", field: "path" });
    expect(folder.message).toMatch(/is a folder: restore it instead.*one by one/);
    expect(await admin.error(DOWNLOAD, { runId: first.id, path: "/exports/none.csv" })).toMatchObject({ code: "INVALID_INPUT" });
    expect((await member.error(DOWNLOAD, { runId: first.id, path: "/all-bytes.bin" })).code).toBe("FORBIDDEN");
    expect((await fetch(`${stack.app.url}/api/snapshot-downloads/not-a-token`)).status).toBe(404);
  });
});

describe("snapshots that cannot be browsed", () => {
  it("refuses a plain-files backup with what to do instead", async () => {
    const plain = (
      await admin.data<{ createBackup: { id: string } }>(CREATE, {
        input: {
          applicationId: shop,
          name: "files-plain",
          schedule: "0 4 * * *",
          format: "PLAIN",
          source: { pvcName: "shop-db-data" },
          destination: { volumeId, path: "shop/plain" },
          function: { kind: "TAR" },
          retention: { keepLast: 1 },
        },
      })
    ).createBackup;
    const { id } = (await admin.data<{ runBackupNow: { id: string } }>(RUN_NOW, { id: plain.id })).runBackupNow;
    const refused = await admin.error(LIST, { runId: id, path: "/", offset: 0, limit: 5 });
    expect(refused).toMatchObject({ code: "INVALID_INPUT", field: "runId" });
    expect(refused.message).toMatch(/plain files.*restore the whole run/);
  });

  it("refuses browsing and restoring a snapshot retention pruned", async () => {
    await admin.data(`mutation($input: UpdateBackupInput!) { updateBackup(input: $input) { id } }`, {
      input: { id: backup.id, retention: { keepLast: 1 } },
    });
    expect(await runNow()).toMatchObject({ status: "SUCCEEDED" });
    await eventually(
      async () => ((await runs()).find((r) => r.id === first.id) as Run & { prunedAt: string | null })?.prunedAt ?? undefined,
      "the first run to be pruned",
      30_000,
    );
    const before = await restoreRuns();
    const browse = await admin.error(LIST, { runId: first.id, path: "/", offset: 0, limit: 5 });
    expect(browse).toMatchObject({ code: "INVALID_INPUT" });
    expect(browse.message).toMatch(/removed by retention/);
    expect((await admin.error(RESTORE, { input: { runId: first.id, paths: ["/all-bytes.bin"] } })).message).toMatch(/removed by retention/);
    expect((await admin.error(DOWNLOAD, { runId: first.id, path: "/all-bytes.bin" })).message).toMatch(/removed by retention/);
    expect(await restoreRuns()).toBe(before);
    // Its listing is gone from the database too.
    const left = await stack.database.db.select().from(snapshotEntries).where(eq(snapshotEntries.runId, first.id));
    expect(left).toHaveLength(0);
  });
});
