import { desc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { repositoryKeyExports, repositoryKeys } from "../../db/schema/repository-keys.js";

export type RepositoryKeyRecord = typeof repositoryKeys.$inferSelect;
export type RepositoryKeyExportRecord = typeof repositoryKeyExports.$inferSelect;

export class RepositoryKeyRepository {
  constructor(private readonly db: Database) {}

  async get(workspaceId: string): Promise<RepositoryKeyRecord | undefined> {
    const [row] = await this.db.select().from(repositoryKeys).where(eq(repositoryKeys.workspaceId, workspaceId));
    return row;
  }

  /** Inserts unless another instance stored one first; returns the one that is stored. */
  async insertOnce(row: typeof repositoryKeys.$inferInsert): Promise<RepositoryKeyRecord> {
    await this.db.insert(repositoryKeys).values(row).onConflictDoNothing();
    return (await this.get(row.workspaceId))!;
  }

  async recordExport(row: typeof repositoryKeyExports.$inferInsert): Promise<RepositoryKeyExportRecord> {
    const [saved] = await this.db.insert(repositoryKeyExports).values(row).returning();
    return saved!;
  }

  exports(workspaceId: string, limit = 10): Promise<RepositoryKeyExportRecord[]> {
    return this.db
      .select()
      .from(repositoryKeyExports)
      .where(eq(repositoryKeyExports.workspaceId, workspaceId))
      .orderBy(desc(repositoryKeyExports.createdAt))
      .limit(limit);
  }
}
