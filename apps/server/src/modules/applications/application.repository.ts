import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { applications } from "../../db/schema/index.js";

export type ApplicationRecord = typeof applications.$inferSelect;

/** Applications of one workspace. */
export class ApplicationRepository {
  constructor(
    private readonly db: Database,
    private readonly workspaceId: string,
  ) {}

  list(): Promise<ApplicationRecord[]> {
    return this.db.select().from(applications).where(eq(applications.workspaceId, this.workspaceId)).orderBy(asc(applications.name));
  }

  async get(id: string): Promise<ApplicationRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(applications)
      .where(and(eq(applications.workspaceId, this.workspaceId), eq(applications.id, id)));
    return row;
  }
}
