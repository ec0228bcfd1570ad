import { eq, inArray } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { plans, workspaces } from "../../db/schema/index.js";

export type WorkspaceRecord = typeof workspaces.$inferSelect;
export type PlanRecord = typeof plans.$inferSelect;
export type WorkspaceWithPlan = WorkspaceRecord & { plan: PlanRecord };

export class WorkspaceRepository {
  constructor(private readonly db: Database) {}

  async findByIds(ids: readonly string[]): Promise<WorkspaceWithPlan[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .select({ workspace: workspaces, plan: plans })
      .from(workspaces)
      .innerJoin(plans, eq(plans.id, workspaces.planId))
      .where(inArray(workspaces.id, [...ids]))
      .orderBy(workspaces.name);
    return rows.map((r) => ({ ...r.workspace, plan: r.plan }));
  }

  /** Every workspace, for the system's own loops (reconciler, run tracker), never for a viewer. */
  async all(): Promise<WorkspaceWithPlan[]> {
    const rows = await this.db
      .select({ workspace: workspaces, plan: plans })
      .from(workspaces)
      .innerJoin(plans, eq(plans.id, workspaces.planId));
    return rows.map((r) => ({ ...r.workspace, plan: r.plan }));
  }

  async setForecastDays(id: string, forecastDays: number): Promise<void> {
    await this.db.update(workspaces).set({ forecastDays }).where(eq(workspaces.id, id));
  }

  async findById(id: string): Promise<WorkspaceWithPlan | undefined> {
    const [row] = await this.findByIds([id]);
    return row;
  }
}
