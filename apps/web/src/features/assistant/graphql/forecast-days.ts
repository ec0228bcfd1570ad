import { graphql } from "../../../gql";

export const ForecastDaysQuery = graphql(`
  query ForecastDays($workspaceId: ID!) {
    workspace(id: $workspaceId) {
      id
      forecastDays
    }
  }
`);

export const SetForecastDaysMutation = graphql(`
  mutation SetForecastDays($workspaceId: ID!, $days: Int!) {
    setWorkspaceForecastDays(workspaceId: $workspaceId, days: $days) {
      id
      forecastDays
    }
  }
`);
