import type { ApolloClient } from "@apollo/client";
import { parseSortParam } from "../../../components/data-table/url-state";
import { StoragePageQuery } from "../graphql/storage-page";
import { StorageVolumeWindowQuery } from "../graphql/volume-window";
import { serverSort, VOLUME_SORTABLE, VOLUME_TABLE_PREFIX, windowVariables } from "./volume-window";

/**
 * Starts the Storage section's queries as its route is entered, alongside the route's code and the shell's own
 * query instead of after them: the page's requests, made once it renders, are the same operations with the same
 * variables, so the client answers them with these (in flight, or just cached) and the first rows come sooner.
 * The table's first page is read from the server (the order and filter the URL names); the section's own query
 * may come from the cache, as the page's would.
 */
export function prefetchStorage(client: ApolloClient, workspaceId: string, params: URLSearchParams): void {
  const sort = serverSort(parseSortParam(params.get(`${VOLUME_TABLE_PREFIX}sort`), VOLUME_SORTABLE));
  const search = (params.get(`${VOLUME_TABLE_PREFIX}q`) ?? "").trim();
  client.query({ query: StoragePageQuery, variables: { workspaceId } }).catch(() => undefined);
  client
    .query({ query: StorageVolumeWindowQuery, variables: windowVariables(workspaceId, sort, search, null), fetchPolicy: "network-only" })
    .catch(() => undefined);
}
