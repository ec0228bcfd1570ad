import { eq } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { memberships, users } from "../../db/schema/index.js";
import type { WorkspaceRole } from "../../kernel/viewer.js";

export type UserRecord = typeof users.$inferSelect;

export class UserRepository {
  constructor(private readonly db: Database) {}

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.email, email.toLowerCase()));
    return row;
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row;
  }

  async roles(userId: string): Promise<Map<string, WorkspaceRole>> {
    const rows = await this.db
      .select({ workspaceId: memberships.workspaceId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.userId, userId));
    return new Map(rows.map((r) => [r.workspaceId, r.role]));
  }
}
