import { useEffect } from "react";
import { Navigate, Outlet, useLocation, useParams } from "react-router";
import { useQuery } from "@apollo/client/react";
import { ShellQuery } from "../features/shell/graphql/shell-query";
import { AppShell } from "../features/shell/components/AppShell";
import { lastWorkspace } from "../features/shell/utils/last-workspace";
import { ErrorState, LoadingState } from "../components/ui/PageState";
import { toUserErrors } from "../lib/graphql-errors";

export function WorkspaceLayoutPage() {
  const { workspaceId = "" } = useParams();
  const location = useLocation();
  const section = location.pathname.split("/")[3] ?? "storage";
  const { data, error } = useQuery(ShellQuery);
  const membership = data?.me.memberships.find((m) => m.workspace.id === workspaceId);
  const notMember = Boolean(data && !membership);
  // `/` opens the workspace seen last; one that is not the user's (any more) is forgotten before `/` is asked again.
  if (notMember && lastWorkspace.get() === workspaceId) lastWorkspace.clear();
  useEffect(() => {
    if (membership) lastWorkspace.set(workspaceId);
  }, [membership, workspaceId]);

  if (error && !data) {
    return <ErrorState title="Could not load your account" message={toUserErrors(error)[0]?.message ?? ""} />;
  }
  if (!data) return <LoadingState label="Loading workspace" />;
  // Not one of this user's workspaces (e.g. a link kept from another account): go to their first.
  if (notMember && data.me.memberships.length > 0) return <Navigate to="/" replace />;

  return (
    <AppShell
      user={data.me}
      platform={data.platform}
      workspaceId={workspaceId}
      section={section}
      canAnswerAssistant={membership?.role === "ADMIN"}
    >
      <Outlet />
    </AppShell>
  );
}
