import { and, count, eq, isNull, ne, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { assistantMessages, assistantReadMarkers } from "../../db/schema/index.js";

/** How far each user has read each workspace's conversation with the assistant. */
export class ReadMarkerRepository {
  constructor(
    private readonly db: Database,
    private readonly userId: string,
    private readonly workspaceId: string,
  ) {}

  /** Moves the marker up to the message's time; never back, so an older tab cannot make news unread again. */
  async markReadUpTo(messageId: string): Promise<void> {
    // The time is copied inside PostgreSQL: through a JS Date it would lose its microseconds and the message stay unread.
    await this.db.execute(sql`
      insert into ${assistantReadMarkers} (user_id, workspace_id, last_read_at)
      select ${this.userId}, ${this.workspaceId}, ${assistantMessages.createdAt} from ${assistantMessages}
      where ${assistantMessages.workspaceId} = ${this.workspaceId} and ${assistantMessages.id} = ${messageId}
      on conflict (user_id, workspace_id) do update set last_read_at = greatest(${assistantReadMarkers.lastReadAt}, excluded.last_read_at)`);
  }

  /** The assistant's messages after the marker, leaving out its answers to this user's own messages. */
  async unreadCount(): Promise<number> {
    // Compared inside PostgreSQL, at full (microsecond) precision.
    const marker = sql`(select ${assistantReadMarkers.lastReadAt} from ${assistantReadMarkers}
      where ${assistantReadMarkers.userId} = ${this.userId} and ${assistantReadMarkers.workspaceId} = ${this.workspaceId})`;
    const [row] = await this.db
      .select({ n: count() })
      .from(assistantMessages)
      .where(
        and(
          eq(assistantMessages.workspaceId, this.workspaceId),
          eq(assistantMessages.author, "ASSISTANT"),
          or(isNull(assistantMessages.answersUserId), ne(assistantMessages.answersUserId, this.userId)),
          sql`${assistantMessages.createdAt} > coalesce(${marker}, '-infinity'::timestamptz)`,
        ),
      );
    return row?.n ?? 0;
  }
}
