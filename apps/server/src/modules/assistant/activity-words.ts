/** One agent hand-off as its log entry holds it. */
export interface AgentEventLike {
  kind: string;
  payload: unknown;
  handledAt: Date | null;
  outcome: string | null;
}

const OUTCOMES: Record<string, string> = {
  posted: "posted in this conversation",
  "notified the admins": "the admins were told",
  "nothing to say": "nothing needed telling",
};

/**
 * The assistant's Activity list in words a Workspace Admin reads ("A volume passed 85% full; the admins
 * were told"), instead of agent names and event kinds, which stay in the raw fields for operators.
 */
export function describeAgentEvent(event: AgentEventLike): string {
  const p = (event.payload ?? {}) as { percent?: number; threshold?: number; level?: string };
  const what =
    {
      CAPACITY_FLAGGED: `A backup volume reached ${p.percent ?? "its"}${p.percent !== undefined ? "%" : ""} full${p.threshold ? ` (alert at ${p.threshold}%)` : ""}`,
      CAPACITY_CLEARED: "A backup volume went back under its alert threshold",
      NOTIFY_ADMIN: "The assistant wrote to the admins",
      BACKUP_FAILED_QUOTA: "A backup failed because its destination volume was full",
      BACKUP_REPOSITORY_FAILED: "A backup repository was found damaged or its key did not open it",
    }[event.kind] ?? `Something happened (${event.kind.toLowerCase().replaceAll("_", " ")})`;
  const outcome = event.outcome ? (OUTCOMES[event.outcome] ?? event.outcome) : event.handledAt ? null : "being looked at";
  return outcome ? `${what}; ${outcome}.` : `${what}.`;
}
