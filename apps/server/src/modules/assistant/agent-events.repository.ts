import { and, asc, desc, eq, inArray, isNull, like } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { agentEvents } from "../../db/schema/index.js";

export type AgentEvent = typeof agentEvents.$inferSelect;
export type AgentName = AgentEvent["toAgent"];

/** The agents' outbox/inbox: the only writer of agent_events. */
export class AgentEventRepository {
  constructor(private readonly db: Database) {}

  /** Hands an event to another agent; the same dedupe key to the same agent is one event, however often it is sent. */
  async send(
    event: {
      workspaceId: string;
      fromAgent: AgentName;
      toAgent: AgentName;
      kind: string;
      dedupeKey: string;
      payload: Record<string, unknown>;
    },
    db: Database = this.db,
  ) {
    await db.insert(agentEvents).values(event).onConflictDoNothing();
  }

  /** Unhandled events for the agent; only those of `workspaceIds` when given (a replica's share). */
  inbox(agent: AgentName, limit = 100, workspaceIds?: string[]): Promise<AgentEvent[]> {
    if (workspaceIds && !workspaceIds.length) return Promise.resolve([]);
    return this.db
      .select()
      .from(agentEvents)
      .where(
        and(
          eq(agentEvents.toAgent, agent),
          isNull(agentEvents.handledAt),
          workspaceIds ? inArray(agentEvents.workspaceId, workspaceIds) : undefined,
        ),
      )
      .orderBy(asc(agentEvents.createdAt))
      .limit(limit);
  }

  /**
   * Takes an event for handling, in the transaction that carries its effect. An event another instance is
   * handling right now makes this wait for that transaction; once it has committed, this gets false.
   */
  async claim(id: string, outcome: string, db: Database): Promise<boolean> {
    const rows = await db
      .update(agentEvents)
      .set({ handledAt: new Date(), outcome })
      .where(and(eq(agentEvents.id, id), isNull(agentEvents.handledAt)))
      .returning({ id: agentEvents.id });
    return rows.length > 0;
  }

  /** Whether the admins heard of this capacity alert: one of its flags was handled by telling them. */
  async warned(alertId: string): Promise<boolean> {
    const rows = await this.db
      .select({ id: agentEvents.id })
      .from(agentEvents)
      .where(
        and(
          eq(agentEvents.toAgent, "ORCHESTRATION"),
          eq(agentEvents.kind, "CAPACITY_FLAGGED"),
          like(agentEvents.dedupeKey, `alert:${alertId}:%`),
          eq(agentEvents.outcome, "notified the admins"),
        ),
      )
      .limit(1);
    return rows.length > 0;
  }

  /** The hand-off log of a workspace, newest first, for operators. */
  log(workspaceId: string, limit = 200): Promise<AgentEvent[]> {
    return this.db
      .select()
      .from(agentEvents)
      .where(eq(agentEvents.workspaceId, workspaceId))
      .orderBy(desc(agentEvents.createdAt))
      .limit(limit);
  }
}
