import { Link, Outlet, useParams } from "react-router";
import { useQuery } from "@apollo/client/react";
import { graphql } from "../gql";
import { ApplicationTabs } from "../features/applications/components/ApplicationTabs";
import { ErrorState, LoadingState } from "../components/ui/PageState";
import { toUserErrors } from "../lib/graphql-errors";

export const ApplicationPageQuery = graphql(`
  query ApplicationPage($applicationId: ID!) {
    application(id: $applicationId) {
      id
      name
      namespace
      workspaceId
    }
  }
`);

/** The application view: header and tab bar; the tab's route renders below. */
export function ApplicationPage() {
  const { workspaceId = "", applicationId = "" } = useParams();
  const { data, error } = useQuery(ApplicationPageQuery, { variables: { applicationId } });
  const back = <Link to={`/w/${encodeURIComponent(workspaceId)}/applications`}>Back to applications</Link>;

  if (error && !data) {
    const [first] = toUserErrors(error);
    const notFound = first?.code === "NOT_FOUND" || first?.code === "FORBIDDEN";
    return (
      <ErrorState
        title={notFound ? "Application not found" : "Could not load the application"}
        message={first?.message ?? "Something went wrong."}
        action={back}
      />
    );
  }
  if (!data) return <LoadingState label="Loading the application" />;
  if (data.application.workspaceId !== workspaceId) {
    return <ErrorState title="Application not found" message="This application belongs to another workspace." action={back} />;
  }
  const app = data.application;
  return (
    <div className="storage-section">
      <div className="page-header">
        <div>
          <p className="breadcrumb small">
            <Link to={`/w/${encodeURIComponent(workspaceId)}/applications`}>Applications</Link> /
          </p>
          <h1>{app.name}</h1>
          <p className="muted">
            Namespace <span className="mono">{app.namespace}</span>
          </p>
        </div>
      </div>
      <ApplicationTabs workspaceId={workspaceId} applicationId={app.id} />
      <Outlet />
    </div>
  );
}
