import { useQuery } from "@apollo/client/react";
import { toUserErrors } from "../../../lib/graphql-errors";
import { AssistantEventLogQuery } from "../graphql/assistant-event-log";
import { formatMessageTime } from "../utils/message-time";

/** What the assistant did lately, in words (the agents and event kinds stay in the tooltip), re-read every few seconds. */
export function AssistantActivityList({ workspaceId }: { workspaceId: string }) {
  const { data, error } = useQuery(AssistantEventLogQuery, {
    variables: { workspaceId },
    fetchPolicy: "cache-and-network",
    pollInterval: 5000,
  });
  if (error && !data) return <p className="small text-danger">{toUserErrors(error)[0]?.message}</p>;
  if (!data) return <p className="small muted">Loading…</p>;
  if (data.assistantEventLog.length === 0) return <p className="small muted">Nothing yet.</p>;
  return (
    <ol className="assistant-activity-list small" data-testid="assistant-activity">
      {data.assistantEventLog.slice(0, 30).map((e) => (
        <li key={e.id}>
          <time dateTime={e.createdAt}>{formatMessageTime(e.createdAt)}</time>{" "}
          <span title={`${e.fromAgent} → ${e.toAgent}: ${e.kind}`}>{e.summary}</span>
        </li>
      ))}
    </ol>
  );
}
