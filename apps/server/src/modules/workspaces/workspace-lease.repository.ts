import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { rowsOf } from "../../db/rows.js";

export interface HeldLease {
  workspaceId: string;
  token: number;
}

/**
 * Replicas' heartbeats and their leases on workspaces. Times are the database's (now()), never a replica's clock,
 * so replicas whose clocks disagree still agree on who is alive and whose lease has run out.
 */
export class WorkspaceLeaseRepository {
  constructor(
    private readonly db: Database,
    private readonly instanceId: string,
  ) {}

  /** Beats this replica's heart; returns the replicas alive now (this one included), by heartbeat within `leaseMs`. */
  async heartbeat(leaseMs: number): Promise<string[]> {
    await this.db.execute(sql`
      insert into replicas (instance_id) values (${this.instanceId})
      on conflict (instance_id) do update set heartbeat_at = now()`);
    const rows = rowsOf<{ instance_id: string }>(
      await this.db.execute(sql`
        select instance_id from replicas where heartbeat_at > now() - make_interval(secs => ${leaseMs / 1000})`),
    );
    return rows.map((r) => r.instance_id);
  }

  /** This replica stops: the others stop counting it at their next heartbeat, not after its heartbeat times out. */
  async leave(): Promise<void> {
    await this.db.execute(sql`delete from replicas where instance_id = ${this.instanceId}`);
  }

  /** Forgets replicas silent for long (their leases have long expired); keeps the table the size of the fleet. */
  async forgetDead(afterMs: number): Promise<void> {
    await this.db.execute(sql`delete from replicas where heartbeat_at < now() - make_interval(secs => ${afterMs / 1000})`);
  }

  async workspaces(): Promise<Array<{ id: string; vclusterName: string }>> {
    const rows = rowsOf<{ id: string; vcluster_name: string }>(await this.db.execute(sql`select id, vcluster_name from workspaces`));
    return rows.map((r) => ({ id: r.id, vclusterName: r.vcluster_name }));
  }

  /**
   * Takes the leases that are free (none yet, expired, or this replica's own from before a restart); a lease another
   * replica still holds is left alone. Each taken lease gets a new token, which fences off any earlier holder. FOR UPDATE
   * waits for the old holder's fenced writes (FOR KEY SHARE) to commit, so the new owner reads what they wrote.
   */
  async acquire(workspaceIds: string[], leaseMs: number): Promise<HeldLease[]> {
    if (!workspaceIds.length) return [];
    const secs = leaseMs / 1000;
    return this.db.transaction(async (tx) => {
      const fresh = rowsOf<{ workspace_id: string; token: string | number }>(
        await tx.execute(sql`
          insert into workspace_leases (workspace_id, owner, token, expires_at)
          select t.ws_id, ${this.instanceId}, 1, now() + make_interval(secs => ${secs})
          from unnest(${uuids(workspaceIds)}::uuid[]) as t(ws_id)
          where exists (select 1 from workspaces w where w.id = t.ws_id)
          on conflict (workspace_id) do nothing
          returning workspace_id, token`),
      );
      const inserted = new Set(fresh.map((r) => r.workspace_id));
      const rest = workspaceIds.filter((id) => !inserted.has(id));
      const taken = rest.length
        ? rowsOf<{ workspace_id: string; token: string | number }>(
            await tx.execute(sql`
              update workspace_leases
              set owner = ${this.instanceId}, token = token + 1, expires_at = now() + make_interval(secs => ${secs}), acquired_at = now()
              where workspace_id in (
                select workspace_id from workspace_leases
                where workspace_id = any(${uuids(rest)}::uuid[]) and (expires_at <= now() or owner = ${this.instanceId})
                for update)
              returning workspace_id, token`),
          )
        : [];
      return [...fresh, ...taken].map((r) => ({ workspaceId: r.workspace_id, token: Number(r.token) }));
    });
  }

  /**
   * Extends this replica's leases; the answer says which are still this replica's with the tokens it holds. A plain
   * UPDATE takes no lock that a fenced write's FOR KEY SHARE holds up: renewing never waits for this replica's own work.
   */
  async renew(held: HeldLease[], leaseMs: number): Promise<string[]> {
    if (!held.length) return [];
    const rows = rowsOf<{ workspace_id: string; token: string | number }>(
      await this.db.execute(sql`
        update workspace_leases set expires_at = now() + make_interval(secs => ${leaseMs / 1000})
        where workspace_id = any(${uuids(held.map((h) => h.workspaceId))}::uuid[]) and owner = ${this.instanceId}
        returning workspace_id, token`),
    );
    const tokens = new Map(held.map((h) => [h.workspaceId, h.token]));
    return rows.filter((r) => tokens.get(r.workspace_id) === Number(r.token)).map((r) => r.workspace_id);
  }

  /** Gives leases up at once (their work already stopped), so the replica they now belong to need not wait for expiry. */
  async release(held: HeldLease[]): Promise<void> {
    for (const h of held) {
      await this.db.execute(sql`
        update workspace_leases set expires_at = now()
        where workspace_id = ${h.workspaceId} and owner = ${this.instanceId} and token = ${h.token}`);
    }
  }
}

/** A uuid[] literal for one bound parameter, however many ids (one round trip, no parameter limit). */
const uuids = (ids: string[]) => `{${ids.join(",")}}`;
