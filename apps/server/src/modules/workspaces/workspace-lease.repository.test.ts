import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client.js";
import { workspaces } from "../../db/schema/index.js";
import { seedLab } from "../../seed/lab-seed.js";
import { createTestDatabase } from "../../test/local.js";
import { WorkspaceLeaseRepository } from "./workspace-lease.repository.js";
import { holdFence, LeaseLostError, type WorkspaceFence } from "./workspace-share.js";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: DatabaseHandle;
let dataDir: string;
let ids: string[];

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-leases-"));
  handle = await openDatabase({ url: database.url, dataDir, afterMigrate: seedLab });
  await handle.db
    .insert(workspaces)
    .values([1, 2, 3].map((n) => ({ slug: `lease-${n}`, name: `Lease ${n}`, planId: "shared", vclusterName: `lease-${n}` })));
  ids = (await handle.db.select({ id: workspaces.id }).from(workspaces)).map((w) => w.id).sort();
});
afterAll(async () => {
  await handle?.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fenceOf = (owner: string, workspaceId: string, token: number): WorkspaceFence => ({ workspaceId, vclusterName: "", owner, token });

describe("workspace leases in PostgreSQL", () => {
  it("count a replica as alive while it beats its heart, and forget it once it leaves", async () => {
    const a = new WorkspaceLeaseRepository(handle.db, "hb-a");
    const b = new WorkspaceLeaseRepository(handle.db, "hb-b");
    await b.heartbeat(400);
    expect((await a.heartbeat(400)).sort()).toEqual(["hb-a", "hb-b"]);
    await sleep(500);
    expect(await a.heartbeat(400)).toEqual(["hb-a"]);
    await a.leave();
    expect(await b.heartbeat(400)).toEqual(["hb-b"]);
  });

  it("give a workspace to one replica at a time, a new token on each change of hands, and refuse the old holder's writes", async () => {
    const ws = ids[0]!;
    const a = new WorkspaceLeaseRepository(handle.db, "lease-a");
    const b = new WorkspaceLeaseRepository(handle.db, "lease-b");
    const [mine] = await a.acquire([ws], 400);
    expect(mine).toEqual({ workspaceId: ws, token: expect.any(Number) });
    expect(await b.acquire([ws], 400)).toEqual([]);
    await handle.db.transaction((tx) => holdFence(tx, fenceOf("lease-a", ws, mine!.token)));

    await sleep(500);
    const [taken] = await b.acquire([ws], 5000);
    expect(taken!.token).toBe(mine!.token + 1);
    await expect(handle.db.transaction((tx) => holdFence(tx, fenceOf("lease-a", ws, mine!.token)))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await a.renew([mine!], 5000)).toEqual([]);
    await b.release([taken!]);
  });

  it("hold the lease through a fenced write: renewal goes on, a takeover waits for the write to commit and sees it", async () => {
    const ws = ids[1]!;
    const a = new WorkspaceLeaseRepository(handle.db, "fence-a");
    const b = new WorkspaceLeaseRepository(handle.db, "fence-b");
    const [mine] = await a.acquire([ws], 300);
    const order: string[] = [];
    let takeover: Promise<unknown> | undefined;
    await handle.db.transaction(async (tx) => {
      await holdFence(tx, fenceOf("fence-a", ws, mine!.token));
      // The holder's renewal does not wait behind its own write.
      expect(await a.renew([mine!], 300)).toEqual([ws]);
      // Then the lease runs out while the write is under way, and the other replica tries to take it meanwhile.
      await sleep(400);
      takeover = b.acquire([ws], 5000).then((got) => order.push(`taken:${got.length}`));
      await sleep(300);
      await tx.execute(sql`update workspaces set name = 'written under the lease' where id = ${ws}`);
      order.push("committed");
    });
    await takeover;
    expect(order).toEqual(["committed", "taken:1"]);
    const [row] = await handle.db
      .select({ name: workspaces.name })
      .from(workspaces)
      .where(sql`id = ${ws}`);
    expect(row!.name).toBe("written under the lease");
    expect(await a.renew([mine!], 300)).toEqual([]);
  });

  it("let a restarted replica take back its own leases at once, fencing off its former process", async () => {
    const ws = ids[2]!;
    const before = new WorkspaceLeaseRepository(handle.db, "restarted");
    const [old] = await before.acquire([ws], 60_000);
    const after = new WorkspaceLeaseRepository(handle.db, "restarted");
    const [now] = await after.acquire([ws], 60_000);
    expect(now!.token).toBe(old!.token + 1);
    await expect(handle.db.transaction((tx) => holdFence(tx, fenceOf("restarted", ws, old!.token)))).rejects.toBeInstanceOf(LeaseLostError);
  });
});
