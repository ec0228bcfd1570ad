import { useParams } from "react-router";
import { useQuery } from "@apollo/client/react";
import { graphql } from "../gql";
import { ApplicationClaimsList } from "../features/applications/components/ApplicationClaimsList";
import { ErrorState, LoadingState } from "../components/ui/PageState";
import { toUserErrors } from "../lib/graphql-errors";

export const ApplicationOverviewPageQuery = graphql(`
  query ApplicationOverviewPage($applicationId: ID!) {
    application(id: $applicationId) {
      id
      ...ApplicationClaimsList_ApplicationFragment
    }
  }
`);

export function ApplicationOverviewPage() {
  const { applicationId = "" } = useParams();
  const { data, error } = useQuery(ApplicationOverviewPageQuery, {
    variables: { applicationId },
    fetchPolicy: "cache-and-network",
  });
  if (error && !data) {
    return <ErrorState title="Could not load the claims" message={toUserErrors(error)[0]?.message ?? "Something went wrong."} />;
  }
  if (!data) return <LoadingState label="Loading claims" />;
  return <ApplicationClaimsList application={data.application} />;
}
