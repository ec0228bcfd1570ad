import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { assistantMessages, type ProposalRecord } from "../../db/schema/index.js";

export type AssistantMessageRecord = typeof assistantMessages.$inferSelect;

/** The workspaces' conversations with the assistant. */
export class AssistantRepository {
  constructor(private readonly db: Database) {}

  /** Adds a message; one caused by an agent event is added once, however often the event is handled. */
  async add(message: typeof assistantMessages.$inferInsert, db: Database = this.db): Promise<AssistantMessageRecord | undefined> {
    const [row] = await db.insert(assistantMessages).values(message).onConflictDoNothing().returning();
    return row;
  }

  async recent(workspaceId: string, limit: number): Promise<AssistantMessageRecord[]> {
    const rows = await this.db
      .select()
      .from(assistantMessages)
      .where(eq(assistantMessages.workspaceId, workspaceId))
      .orderBy(desc(assistantMessages.createdAt))
      .limit(limit);
    return rows.reverse();
  }

  async get(workspaceId: string, id: string): Promise<AssistantMessageRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(assistantMessages)
      .where(and(eq(assistantMessages.workspaceId, workspaceId), eq(assistantMessages.id, id)));
    return row;
  }

  async latestPending(workspaceId: string): Promise<AssistantMessageRecord | undefined> {
    const [row] = await this.db
      .select()
      .from(assistantMessages)
      .where(and(eq(assistantMessages.workspaceId, workspaceId), sql`${assistantMessages.proposal}->>'state' = 'PENDING'`))
      .orderBy(desc(assistantMessages.createdAt))
      .limit(1);
    return row;
  }

  withProposalState(state: ProposalRecord["state"]): Promise<AssistantMessageRecord[]> {
    return this.db
      .select()
      .from(assistantMessages)
      .where(sql`${assistantMessages.proposal}->>'state' = ${state}`)
      .orderBy(asc(assistantMessages.createdAt));
  }

  async setProposal(id: string, proposal: ProposalRecord, db: Database = this.db): Promise<AssistantMessageRecord> {
    const [row] = await db.update(assistantMessages).set({ proposal }).where(eq(assistantMessages.id, id)).returning();
    return row!;
  }

  /**
   * Moves a proposal on only from the state the caller saw: of two racing writers (two instances, an admin
   * answering twice) one wins and the other gets undefined and does nothing.
   */
  async moveProposal(
    id: string,
    from: ProposalRecord["state"],
    proposal: ProposalRecord,
    db: Database = this.db,
  ): Promise<AssistantMessageRecord | undefined> {
    const [row] = await db
      .update(assistantMessages)
      .set({ proposal })
      .where(and(eq(assistantMessages.id, id), sql`${assistantMessages.proposal}->>'state' = ${from}`))
      .returning();
    return row;
  }

  /** Pending proposals for a volume become stale (the alert cleared, or another answer came first). */
  async staleProposals(volumeId: string, db: Database = this.db): Promise<void> {
    await db
      .update(assistantMessages)
      .set({ proposal: sql`jsonb_set(${assistantMessages.proposal}, '{state}', '"STALE"')` })
      .where(sql`${assistantMessages.proposal}->>'state' = 'PENDING' and ${assistantMessages.proposal}->>'volumeId' = ${volumeId}`);
  }
}
