import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { KubeLab, Lab } from "@hks/lab";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { applications, memberships, plans, users, workspaces } from "../db/schema/index.js";
import { hashPassword } from "../modules/auth/password.js";

export const LAB_PASSWORD = "hks-lab";

export const LAB_WORKSPACES = [
  { slug: "acme", name: "Acme", planId: "dedicated", vclusterName: "acme", namespaces: ["shop", "analytics"] },
  { slug: "globex", name: "Globex", planId: "shared", vclusterName: "globex", namespaces: ["web"] },
] as const;

const LAB_USERS = [
  { email: "admin@acme.test", name: "Ada Admin", workspace: "acme", role: "ADMIN" },
  { email: "dev@acme.test", name: "Dev Member", workspace: "acme", role: "MEMBER" },
  { email: "admin@globex.test", name: "Gloria Admin", workspace: "globex", role: "ADMIN" },
] as const;

/** The lab's plans, workspaces and users; safe to run at every start (existing rows are left as they are). */
export async function seedLab(db: Database): Promise<void> {
  await db
    .insert(plans)
    .values([
      {
        id: "dedicated",
        name: "Dedicated",
        dedicated: true,
        storageCeilingGiB: 2048,
        priceCentsPerGiBMonth: 8,
        currency: "EUR",
        minBackupIntervalMinutes: 15,
      },
      {
        id: "shared",
        name: "Shared",
        dedicated: false,
        storageCeilingGiB: 0,
        priceCentsPerGiBMonth: 0,
        currency: "EUR",
        minBackupIntervalMinutes: 60,
      },
    ])
    .onConflictDoNothing();
  await db
    .insert(workspaces)
    .values(LAB_WORKSPACES.map((w) => ({ ...w, namespaces: [...w.namespaces] })))
    .onConflictDoNothing();
  const passwordHash = await hashPassword(LAB_PASSWORD);
  await db
    .insert(users)
    .values(LAB_USERS.map((u) => ({ email: u.email, name: u.name, passwordHash })))
    .onConflictDoNothing();
  for (const w of LAB_WORKSPACES) {
    for (const namespace of w.namespaces) {
      await db.execute(sql`
        insert into ${applications} (workspace_id, name, namespace)
        select id, ${namespace}, ${namespace} from ${workspaces} where slug = ${w.slug}
        on conflict do nothing`);
    }
  }
  for (const u of LAB_USERS) {
    await db.execute(sql`
      insert into ${memberships} (user_id, workspace_id, role)
      select u.id, w.id, ${u.role} from ${users} u, ${workspaces} w where u.email = ${u.email} and w.slug = ${u.workspace}
      on conflict do nothing`);
  }
}

/**
 * Application data in the lab vClusters: `shop` keeps its database files on the claim `shop-db-data`
 * (the story's backup source), `analytics` has a claim no backup covers yet.
 */
export async function seedLabClusters(lab: Lab): Promise<void> {
  const acme = lab.clusters.get("acme");
  if (!acme) return;
  await seedClaim(acme, "shop", "shop-db-data", "2Gi", {
    PG_VERSION: "15\n",
    "postgresql.conf": "shared_buffers = 128MB\nmax_connections = 100\n",
    "base/16384/2619": randomBytes(512 * 1024),
    "base/16384/2840": randomBytes(256 * 1024),
    "pg_wal/000000010000000000000001": randomBytes(512 * 1024),
  });
  await seedClaim(acme, "analytics", "analytics-data", "1Gi", { "events/2026-11-25.jsonl": '{"event":"page_view","path":"/"}\n' });
}

async function seedClaim(
  cluster: KubeLab,
  namespace: string,
  name: string,
  size: string,
  files: Record<string, string | Buffer>,
): Promise<void> {
  if (!cluster.store.get("v1", "PersistentVolumeClaim", namespace, name)) {
    cluster.store.create({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name, namespace, labels: { "app.kubernetes.io/name": namespace } },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: "standard", resources: { requests: { storage: size } } },
    });
  }
  const folder = await waitFor(() => {
    const pv = (cluster.store.get("v1", "PersistentVolumeClaim", namespace, name) as { spec?: { volumeName?: string } } | undefined)?.spec
      ?.volumeName;
    const dir = pv ? cluster.volumeFolder(pv) : undefined;
    // The folder is made (and mounted) by the lab's provisioner just after binding.
    return dir && existsSync(dir) ? dir : undefined;
  });
  if ((await readdir(folder)).length > 0) return;
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), content);
  }
}

async function waitFor<T>(get: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("the lab did not provision a seeded claim in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
