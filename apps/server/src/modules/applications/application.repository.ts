import { and, asc, eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { applications, dismissedClaims } from "../../db/schema/index.js";

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

  /** The claims of the application an admin chose to leave without a backup. */
  async dismissedClaims(applicationId: string): Promise<Set<string>> {
    const rows = await this.db
      .select({ claimName: dismissedClaims.claimName })
      .from(dismissedClaims)
      .innerJoin(applications, eq(applications.id, dismissedClaims.applicationId))
      .where(and(eq(applications.workspaceId, this.workspaceId), eq(dismissedClaims.applicationId, applicationId)));
    return new Set(rows.map((r) => r.claimName));
  }

  async dismissClaim(applicationId: string, claimName: string, userId: string): Promise<void> {
    await this.db.insert(dismissedClaims).values({ applicationId, claimName, dismissedBy: userId }).onConflictDoNothing();
  }
}
