import { useEffect } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useApolloClient, useQuery } from "@apollo/client/react";
import { parseSortParam } from "../components/data-table/url-state";
import { StorageVolumeWindowQuery } from "../features/storage/graphql/volume-window";
import { VOLUME_SORTABLE, VOLUME_TABLE_PREFIX } from "../features/storage/components/VolumesTable";
import { serverSort, windowVariables } from "../features/storage/utils/volume-window";
import { graphql } from "../gql";
import { StorageSection } from "../features/storage/components/StorageSection";
import { ErrorState, LoadingState } from "../components/ui/PageState";
import { toUserErrors } from "../lib/graphql-errors";

export const StoragePageQuery = graphql(`
  query StoragePage($workspaceId: ID!) {
    workspace(id: $workspaceId) {
      id
      ...StorageSection_WorkspaceFragment
    }
    capacityAlerts(workspaceId: $workspaceId) {
      id
      ...VolumesTable_CapacityAlertFragment
    }
  }
`);

export function StoragePage() {
  const { workspaceId = "" } = useParams();
  const { data, error } = useQuery(StoragePageQuery, { variables: { workspaceId } });
  useFirstVolumesAlongside(workspaceId);

  if (error && !data) {
    const [first] = toUserErrors(error);
    const notYours = first?.code === "NOT_FOUND" || first?.code === "FORBIDDEN";
    return (
      <ErrorState
        title={notYours ? "Workspace not available" : "Could not load storage"}
        message={first?.message ?? "Something went wrong."}
        action={<Link to="/">Go to your first workspace</Link>}
      />
    );
  }
  if (!data) return <LoadingState label="Loading storage" />;
  return <StorageSection key={data.workspace.id} workspace={data.workspace} alerts={data.capacityAlerts} />;
}

/**
 * Asks for the volume table's first page together with the page's own query instead of after it: the table's
 * request, made once the page renders, is the same operation with the same variables, so the client answers it
 * with this one (in flight, or just cached) and the first rows come one round trip sooner.
 */
function useFirstVolumesAlongside(workspaceId: string) {
  const client = useApolloClient();
  const [params] = useSearchParams();
  const sortRaw = params.get(`${VOLUME_TABLE_PREFIX}sort`);
  const search = (params.get(`${VOLUME_TABLE_PREFIX}q`) ?? "").trim();
  useEffect(() => {
    const sort = serverSort(parseSortParam(sortRaw, VOLUME_SORTABLE));
    client
      .query({
        query: StorageVolumeWindowQuery,
        variables: windowVariables(workspaceId, sort, search, 0, null),
        fetchPolicy: "network-only",
      })
      .catch(() => undefined);
    // Only on arrival (the sort and filter as the page opens): the table asks for every later order and filter itself.
  }, [client, workspaceId]);
}
