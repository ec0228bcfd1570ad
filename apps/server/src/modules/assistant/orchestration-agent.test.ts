import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "../../db/client.js";
import { agentEvents, applications, backupEvents, backups, storageVolumes, workspaces } from "../../db/schema/index.js";
import { createLogger } from "../../logger.js";
import { seedLab } from "../../seed/lab-seed.js";
import { createTestDatabase } from "../../test/local.js";
import { cronJobNameFor } from "../backups/translation.js";
import { WorkspaceLeaseRepository } from "../workspaces/workspace-lease.repository.js";
import { OwnedWorkspaces } from "../workspaces/workspace-share.js";
import { WorkspaceRepository } from "../workspaces/workspace.repository.js";
import { OrchestrationAgent } from "./orchestration-agent.js";

// One replica's OrchestrationAgent on PostgreSQL, holding the lease on one workspace of two.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let handle: DatabaseHandle;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-orchestration-"));
  handle = await openDatabase({ url: database.url, dataDir, afterMigrate: seedLab });
});
afterAll(async () => {
  await handle?.close();
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

/** A workspace with one Backup and `failures` of its runs failed for want of room, oldest first. */
async function workspaceWithFailures(slug: string, failures: number): Promise<{ id: string; backupId: string }> {
  const db = handle.db;
  const [w] = await db
    .insert(workspaces)
    .values({ slug, name: slug, planId: "dedicated", vclusterName: slug, namespaces: ["app"] })
    .returning();
  const [app] = await db.insert(applications).values({ workspaceId: w!.id, name: "app", namespace: "app" }).returning();
  const [volume] = await db
    .insert(storageVolumes)
    .values({
      workspaceId: w!.id,
      name: "dest",
      sizeGiB: 10,
      status: "AVAILABLE",
      node: "pve1",
      storage: "local-lvm",
      diskName: `vm-9999-hks-${slug}-dest`,
      proxmoxVolumeId: `local-lvm:vm-9999-hks-${slug}-dest`,
      storageClassName: "hks-dest",
      persistentVolumeName: `hks-${slug}-dest`,
    })
    .returning();
  const [backup] = await db
    .insert(backups)
    .values({
      workspaceId: w!.id,
      applicationId: app!.id,
      name: "nightly",
      schedule: "0 3 * * *",
      timeZone: "UTC",
      sourcePvcName: "data",
      destinationVolumeId: volume!.id,
      destinationPath: "backups/nightly",
      functionKind: "TAR",
      functionParams: { compression: "ZSTD" },
      retention: { keepLast: 7 },
      cronJobName: cronJobNameFor({ name: "nightly", id: slug }),
    })
    .returning();
  if (failures)
    await db.insert(backupEvents).values(
      Array.from({ length: failures }, (_, i) => ({
        workspaceId: w!.id,
        backupId: backup!.id,
        kind: "QUOTA_EXCEEDED" as const,
        payload: { jobName: `run-${i}` },
        createdAt: new Date(Date.now() - 60_000 + i),
      })),
    );
  return { id: w!.id, backupId: backup!.id };
}

describe("the orchestration agent on one replica of several", () => {
  it("takes its own workspaces' failed runs even behind a full page of other replicas' older ones", async () => {
    const theirs = await workspaceWithFailures("theirs", 150);
    const ours = await workspaceWithFailures("ours", 0);
    await handle.db.insert(backupEvents).values({ workspaceId: ours.id, backupId: ours.backupId, kind: "QUOTA_EXCEEDED", payload: {} });
    const share = new OwnedWorkspaces();
    const [lease] = await new WorkspaceLeaseRepository(handle.db, "replica-a").acquire([ours.id], 60_000);
    share.add({ workspaceId: ours.id, vclusterName: "ours", owner: "replica-a", token: lease!.token });
    const agent = new OrchestrationAgent({
      db: handle.db,
      workspaces: new WorkspaceRepository(handle.db),
      proxmox: undefined as never,
      vclusters: undefined as never,
      logger: createLogger({ silent: true }),
      share,
    });

    expect(await agent.cycle()).toBe(1);
    const flags = await handle.db.select().from(agentEvents).where(eq(agentEvents.kind, "BACKUP_FAILED_QUOTA"));
    expect(flags.map((f) => f.workspaceId)).toEqual([ours.id]);
    const open = await handle.db.select().from(backupEvents).where(eq(backupEvents.workspaceId, theirs.id));
    expect(open.filter((e) => e.handledAt)).toEqual([]);
  });
});
