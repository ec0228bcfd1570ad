import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { memberships, plans, users, workspaces } from "../db/schema/index.js";
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
      { id: "dedicated", name: "Dedicated", dedicated: true, storageCeilingGiB: 2048, priceCentsPerGiBMonth: 8, currency: "EUR" },
      { id: "shared", name: "Shared", dedicated: false, storageCeilingGiB: 0, priceCentsPerGiBMonth: 0, currency: "EUR" },
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
  for (const u of LAB_USERS) {
    await db.execute(sql`
      insert into ${memberships} (user_id, workspace_id, role)
      select u.id, w.id, ${u.role} from ${users} u, ${workspaces} w where u.email = ${u.email} and w.slug = ${u.workspace}
      on conflict do nothing`);
  }
}
