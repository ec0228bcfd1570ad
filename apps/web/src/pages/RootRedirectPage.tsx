import { Navigate } from "react-router";
import { useQuery } from "@apollo/client/react";
import { ShellQuery } from "../features/shell/graphql/shell-query";
import { ErrorState, LoadingState } from "../components/ui/PageState";
import { toUserErrors } from "../lib/graphql-errors";

/** "/" → the first workspace's Storage section. */
export function RootRedirectPage() {
  const { data, error } = useQuery(ShellQuery);
  if (error && !data) {
    return <ErrorState title="Could not load your account" message={toUserErrors(error)[0]?.message ?? ""} />;
  }
  if (!data) return <LoadingState label="Loading your workspaces" />;
  const first = data.me.memberships[0];
  if (!first) {
    return (
      <ErrorState title="No workspace yet" message="Your account is not a member of any workspace. Ask a Workspace Admin to invite you." />
    );
  }
  return <Navigate to={`/w/${encodeURIComponent(first.workspace.id)}/storage`} replace />;
}
