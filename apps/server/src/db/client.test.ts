import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { expect, it } from "vitest";
import { createTestDatabase } from "../test/harness.js";
import { readJournal } from "../observability/health.js";
import { migrationsFolder, openDatabase } from "./client.js";

it("lets several instances start at once on a fresh database: one migrates, the others wait and find it done", async () => {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-migrate-"));
  try {
    const results = await Promise.allSettled([1, 2, 3].map(() => openDatabase({ url: database.url, dataDir })));
    for (const r of results) if (r.status === "fulfilled") await r.value.close();
    expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "started"))).toEqual(["started", "started", "started"]);
    const sql = postgres(database.url, { max: 1, onnotice: () => undefined });
    const applied = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    await sql.end();
    expect(applied[0]!.n).toBe(readJournal(migrationsFolder).length);
  } finally {
    await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
});
