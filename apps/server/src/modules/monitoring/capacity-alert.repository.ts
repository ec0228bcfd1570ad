import { and, desc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { capacityAlerts } from "../../db/schema/index.js";
import { heldLeases, type WorkspaceFence } from "../workspaces/workspace-share.js";

export type CapacityAlertRecord = typeof capacityAlerts.$inferSelect;

export class CapacityAlertRepository {
  constructor(private readonly db: Database) {}

  async insert(alert: typeof capacityAlerts.$inferInsert, db: Database = this.db): Promise<CapacityAlertRecord> {
    const [row] = await db.insert(capacityAlerts).values(alert).returning();
    return row!;
  }

  async update(id: string, patch: Partial<typeof capacityAlerts.$inferInsert>, db: Database = this.db): Promise<CapacityAlertRecord> {
    const [row] = await db.update(capacityAlerts).set(patch).where(eq(capacityAlerts.id, id)).returning();
    return row!;
  }

  /** New figures for many open alerts in one statement (each cycle refreshes what its open alerts show). */
  async updateFigures(
    updates: Array<{ id: string; percent: number; usedBytes: number; capacityBytes: number; estimatedFullAt: Date | null }>,
    fences?: WorkspaceFence[],
  ): Promise<void> {
    if (!updates.length) return;
    const rows = JSON.stringify(
      updates.map((u) => [u.id, u.percent, u.usedBytes, u.capacityBytes, u.estimatedFullAt?.toISOString() ?? null]),
    );
    // Sharded: only alerts of workspaces whose lease this replica still holds, under the lease rows' lock.
    await this.db.execute(sql`
      ${fences ? sql`with ${heldLeases(fences)}` : sql``}
      update ${capacityAlerts} as a set percent = (r->>1)::float8, used_bytes = (r->>2)::bigint, capacity_bytes = (r->>3)::bigint,
        estimated_full_at = (r->>4)::timestamptz
      from json_array_elements(${rows}::json) as r
      where a.id = (r->>0)::uuid and a.state = 'OPEN' ${fences ? sql`and a.workspace_id in (select workspace_id from held)` : sql``}`);
  }

  forWorkspace(workspaceId: string, includeResolved: boolean): Promise<CapacityAlertRecord[]> {
    return this.db
      .select()
      .from(capacityAlerts)
      .where(
        includeResolved
          ? eq(capacityAlerts.workspaceId, workspaceId)
          : and(eq(capacityAlerts.workspaceId, workspaceId), eq(capacityAlerts.state, "OPEN")),
      )
      .orderBy(desc(capacityAlerts.raisedAt))
      .limit(200);
  }
}
