import { useParams } from "react-router";
import { useQuery } from "@apollo/client/react";
import { graphql } from "../gql";
import { BackupSection } from "../features/backups/components/BackupSection";
import { ErrorState, LoadingState } from "../components/ui/PageState";
import { toUserErrors } from "../lib/graphql-errors";

export const ApplicationBackupsPageQuery = graphql(`
  query ApplicationBackupsPage($workspaceId: ID!, $applicationId: ID!, $backupsAfter: String) {
    workspace(id: $workspaceId) {
      id
      ...BackupSection_WorkspaceFragment
    }
    application(id: $applicationId) {
      id
      ...BackupSection_ApplicationFragment
    }
  }
`);

/** The application's Backup tab. */
export function ApplicationBackupsPage() {
  const { workspaceId = "", applicationId = "" } = useParams();
  const { data, error, fetchMore } = useQuery(ApplicationBackupsPageQuery, {
    variables: { workspaceId, applicationId },
    fetchPolicy: "cache-and-network",
  });
  if (error && !data) {
    return <ErrorState title="Could not load backups" message={toUserErrors(error)[0]?.message ?? "Something went wrong."} />;
  }
  if (!data) return <LoadingState label="Loading backups" />;
  return (
    <BackupSection
      key={data.application.id}
      workspace={data.workspace}
      application={data.application}
      onMoreBackups={(after) => fetchMore({ variables: { backupsAfter: after } })}
    />
  );
}
