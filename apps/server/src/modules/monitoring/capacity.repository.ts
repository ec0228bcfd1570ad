import { and, eq, gte, inArray, lt } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { capacitySamples } from "../../db/schema/index.js";

export type CapacitySample = typeof capacitySamples.$inferSelect;

/** Capacity samples of volumes. */
export class CapacityRepository {
  constructor(private readonly db: Database) {}

  async record(samples: Array<typeof capacitySamples.$inferInsert>): Promise<void> {
    if (samples.length) await this.db.insert(capacitySamples).values(samples);
  }

  /** Samples of these volumes since a time, oldest first, in one query. */
  recent(volumeIds: string[], since: Date): Promise<CapacitySample[]> {
    if (!volumeIds.length) return Promise.resolve([]);
    return this.db
      .select()
      .from(capacitySamples)
      .where(and(inArray(capacitySamples.volumeId, volumeIds), gte(capacitySamples.at, since)))
      .orderBy(capacitySamples.at);
  }

  history(volumeId: string, since: Date): Promise<CapacitySample[]> {
    return this.db
      .select()
      .from(capacitySamples)
      .where(and(eq(capacitySamples.volumeId, volumeId), gte(capacitySamples.at, since)))
      .orderBy(capacitySamples.at);
  }

  /** Keeps the table bounded: samples older than the retention are dropped. */
  async prune(olderThan: Date): Promise<void> {
    await this.db.delete(capacitySamples).where(lt(capacitySamples.at, olderThan));
  }
}
