import { useState } from "react";
import { AssistantActivityList } from "./AssistantActivityList";

/** The agents' hand-offs behind the conversation, for admins; read only while expanded. */
export function AssistantActivity({ workspaceId }: { workspaceId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="assistant-activity" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Activity</summary>
      {open && <AssistantActivityList workspaceId={workspaceId} />}
    </details>
  );
}
