import { and, desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { capacityAlerts } from "../../db/schema/index.js";

export type CapacityAlertRecord = typeof capacityAlerts.$inferSelect;

export class CapacityAlertRepository {
  constructor(private readonly db: Database) {}

  async open(volumeId: string, db: Database = this.db): Promise<CapacityAlertRecord | undefined> {
    const [row] = await db.select().from(capacityAlerts).where(and(eq(capacityAlerts.volumeId, volumeId), eq(capacityAlerts.state, "OPEN")));
    return row;
  }

  async insert(alert: typeof capacityAlerts.$inferInsert, db: Database = this.db): Promise<CapacityAlertRecord> {
    const [row] = await db.insert(capacityAlerts).values(alert).returning();
    return row!;
  }

  async update(id: string, patch: Partial<typeof capacityAlerts.$inferInsert>, db: Database = this.db): Promise<CapacityAlertRecord> {
    const [row] = await db.update(capacityAlerts).set(patch).where(eq(capacityAlerts.id, id)).returning();
    return row!;
  }

  forWorkspace(workspaceId: string, includeResolved: boolean): Promise<CapacityAlertRecord[]> {
    return this.db
      .select()
      .from(capacityAlerts)
      .where(includeResolved ? eq(capacityAlerts.workspaceId, workspaceId) : and(eq(capacityAlerts.workspaceId, workspaceId), eq(capacityAlerts.state, "OPEN")))
      .orderBy(desc(capacityAlerts.raisedAt))
      .limit(200);
  }
}
