import { sql, type SQL } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { rowsOf } from "../../db/rows.js";

/** A replica's lease on a workspace: it may act on the workspace while (owner, token) still hold in workspace_leases. */
export interface WorkspaceFence {
  workspaceId: string;
  vclusterName: string;
  owner: string;
  token: number;
}

/** The workspaces whose background work this replica runs right now (sharding.ts keeps it current). */
export interface WorkspaceShare {
  /** This replica's lease on the workspace; undefined when another replica (or no one yet) runs it. */
  fence(workspaceId: string): WorkspaceFence | undefined;
  owned(): WorkspaceFence[];
}

export class OwnedWorkspaces implements WorkspaceShare {
  private readonly leases = new Map<string, WorkspaceFence>();
  fence(workspaceId: string): WorkspaceFence | undefined {
    return this.leases.get(workspaceId);
  }
  owned(): WorkspaceFence[] {
    return [...this.leases.values()];
  }
  add(fence: WorkspaceFence): void {
    this.leases.set(fence.workspaceId, fence);
  }
  remove(workspaceId: string): void {
    this.leases.delete(workspaceId);
  }
}

/** A write on a workspace was refused because this replica's lease on it lapsed or moved to another replica. */
export class LeaseLostError extends Error {
  constructor(readonly workspaceId: string) {
    super(`this replica no longer holds the lease on workspace ${workspaceId}; another replica runs its background work`);
    this.name = "LeaseLostError";
  }
}

/**
 * Checks, inside the transaction that writes, that the lease still holds, and keeps it from changing hands until that
 * transaction ends (FOR KEY SHARE blocks the takeover's FOR UPDATE, not the owner's renewal): a replica that paused
 * past its lease writes nothing, and the new owner reads whatever the old one committed first.
 */
export async function holdFence(tx: Database, fence: WorkspaceFence): Promise<void> {
  const rows = await tx.execute<{ held: number }>(sql`
    select 1 as held from workspace_leases
    where workspace_id = ${fence.workspaceId} and owner = ${fence.owner} and token = ${fence.token} and expires_at > now()
    for key share`);
  if (!rowsOf(rows).length) throw new LeaseLostError(fence.workspaceId);
}

/**
 * A `held(workspace_id)` CTE: the workspaces among `fences` whose lease this replica still holds, each lease row locked
 * FOR KEY SHARE as holdFence does (above), so the statement that writes with it is fenced like the run tracker's writes (a
 * takeover's FOR UPDATE waits for it to commit; a replica whose lease lapsed or moved writes nothing for that workspace),
 * for all of a cycle's workspaces in one round trip instead of a transaction per workspace.
 */
export function heldLeases(fences: WorkspaceFence[]): SQL {
  const rows = JSON.stringify(fences.map((f) => ({ workspace_id: f.workspaceId, owner: f.owner, token: f.token })));
  return sql`held as (
    select l.workspace_id from workspace_leases l
    join json_to_recordset(${rows}::json) as f(workspace_id uuid, owner text, token bigint)
      on l.workspace_id = f.workspace_id and l.owner = f.owner and l.token = f.token
    where l.expires_at > now()
    for key share of l)`;
}

/** holdFence for the workspace when sharded (no share: one instance runs everything, nothing to fence). */
export async function fencedBy(share: WorkspaceShare | undefined, workspaceId: string, tx: Database): Promise<void> {
  if (!share) return;
  const fence = share.fence(workspaceId);
  if (!fence) throw new LeaseLostError(workspaceId);
  await holdFence(tx, fence);
}
