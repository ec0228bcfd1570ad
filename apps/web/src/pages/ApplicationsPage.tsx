import { Link, useParams } from "react-router";
import { useQuery } from "@apollo/client/react";
import { graphql } from "../gql";
import { ApplicationsTable } from "../features/applications/components/ApplicationsTable";
import { ErrorState, LoadingState } from "../components/ui/PageState";
import { toUserErrors } from "../lib/graphql-errors";

export const ApplicationsPageQuery = graphql(`
  query ApplicationsPage($workspaceId: ID!) {
    workspace(id: $workspaceId) {
      id
      name
      applications {
        id
        ...ApplicationsTable_ApplicationFragment
      }
    }
  }
`);

export function ApplicationsPage() {
  const { workspaceId = "" } = useParams();
  const { data, error } = useQuery(ApplicationsPageQuery, { variables: { workspaceId }, fetchPolicy: "cache-and-network" });

  if (error && !data) {
    const [first] = toUserErrors(error);
    const notYours = first?.code === "NOT_FOUND" || first?.code === "FORBIDDEN";
    return (
      <ErrorState
        title={notYours ? "Workspace not available" : "Could not load applications"}
        message={first?.message ?? "Something went wrong."}
        action={<Link to="/">Go to your first workspace</Link>}
      />
    );
  }
  if (!data) return <LoadingState label="Loading applications" />;
  return (
    <div className="storage-section">
      <div className="page-header">
        <div>
          <h1>Applications</h1>
          <p className="muted">
            The applications of <strong>{data.workspace.name}</strong>, each in its own namespace, and how well their data is backed up.
          </p>
        </div>
      </div>
      <section className="card panel" aria-label="Applications">
        <ApplicationsTable workspaceId={data.workspace.id} applications={data.workspace.applications} />
      </section>
    </div>
  );
}
