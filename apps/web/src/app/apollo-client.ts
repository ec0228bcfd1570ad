import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import type { Reference } from "@apollo/client";
import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { ErrorLink } from "@apollo/client/link/error";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";
import { tokenStore } from "../features/auth/utils/token-store";

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss:" : "ws:"}//${host}/graphql`;
}

interface BackupPageValue {
  nodes: readonly Reference[];
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface RunPage {
  nodes: readonly Reference[];
  totalCount: number;
  nextBefore?: string | null;
}

export function createCache() {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          // Re-read whole: the newest messages, the open alerts.
          assistantConversation: { merge: false },
          capacityAlerts: { merge: false },
          assistantEventLog: { merge: false },
        },
      },
      StorageVolume: { fields: { usage: { merge: false }, usageHistory: { merge: false } } },
      AssistantMessage: { fields: { proposal: { merge: false } } },
      Workspace: {
        fields: {
          storageSummary: { merge: true },
          plan: { merge: true },
          storageVolumes: { merge: false },
          // One entry per page, order and filter (all its arguments); a re-read replaces the page.
          storageVolumePage: { merge: false },
          namespaceQuotas: { merge: false },
          applications: { merge: false },
        },
      },
      Application: {
        fields: {
          backups: { merge: false },
          claims: { merge: false },
          // One list per application, paged with `after` ("Show more"): a later page is appended; the first page
          // (a re-read) replaces the list.
          backupPage: {
            keyArgs: false,
            merge(existing: BackupPageValue | undefined, incoming: BackupPageValue, { args, readField }): BackupPageValue {
              if (!existing || !args?.["after"]) return incoming;
              const seen = new Set(existing.nodes.map((ref) => readField<string>("id", ref)));
              return {
                ...incoming,
                nodes: [...existing.nodes, ...incoming.nodes.filter((ref) => !seen.has(readField<string>("id", ref)))],
              };
            },
          },
        },
      },
      Backup: {
        fields: {
          source: { merge: true },
          destination: { merge: true },
          function: { merge: true },
          retention: { merge: true },
          prunePreview: { merge: false },
          nextRuns: { merge: false },
          // One list per backup, paged with `before` ("Load more"): further pages are appended; a
          // re-read of the first page keeps the older pages already shown.
          runs: {
            keyArgs: false,
            merge(existing: RunPage | undefined, incoming: RunPage, { args, readField }): RunPage {
              if (!existing) return incoming;
              const idOf = (ref: Reference) => readField<string>("id", ref);
              if (args?.["before"]) {
                const seen = new Set(existing.nodes.map(idOf));
                return { ...incoming, nodes: [...existing.nodes, ...incoming.nodes.filter((r) => !seen.has(idOf(r)))] };
              }
              if (existing.nodes.length <= incoming.nodes.length) return incoming;
              const seen = new Set(incoming.nodes.map(idOf));
              return {
                ...incoming,
                nodes: [...incoming.nodes, ...existing.nodes.filter((r) => !seen.has(idOf(r)))],
                nextBefore: existing.nextBefore ?? null,
              };
            },
          },
        },
      },
      BackupFunction: { fields: { database: { merge: true } } },
      User: { fields: { memberships: { merge: false } } },
    },
  });
}

export interface ClientBundle {
  token: string | null;
  client: ApolloClient;
  dispose: () => void;
}

function createBundle(token: string | null): ClientBundle {
  const authorization = token ? `Bearer ${token}` : undefined;

  const httpLink = new HttpLink({
    uri: "/graphql",
    headers: authorization ? { authorization } : {},
  });

  const wsClient = createClient({
    url: wsUrl(),
    lazy: true,
    connectionParams: () => (authorization ? { authorization } : {}),
    retryAttempts: Infinity,
    shouldRetry: (e) => {
      // 4401/4403: the server refused our credentials; retrying will not help.
      const code = (e as { code?: number } | null)?.code;
      if (code === 4401 || code === 4403) {
        tokenStore.clear();
        return false;
      }
      return true;
    },
  });

  const errorLink = new ErrorLink(({ error }) => {
    const unauthenticated =
      (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.["code"] === "UNAUTHENTICATED")) ||
      (ServerError.is(error) && error.statusCode === 401);
    // Only an existing session can expire; a failed sign-in must not bounce anywhere.
    if (unauthenticated && token) tokenStore.clear();
  });

  const transport = ApolloLink.split((op) => op.operationType === OperationTypeNode.SUBSCRIPTION, new GraphQLWsLink(wsClient), httpLink);

  const client = new ApolloClient({
    link: ApolloLink.from([errorLink, transport]),
    cache: createCache(),
  });

  // Events published while the socket was down (a server instance restarting, a network blip) are not
  // replayed to a new connection: re-read what is on screen once it is back, so nothing stays stale.
  // The first connection opens just after the page's queries were read, so an event in between would be
  // missed too: the conversation (small, and its messages matter) is read once more when the socket is up.
  let connections = 0;
  wsClient.on("connected", () => {
    if (connections++ > 0) void client.refetchQueries({ include: "active" });
    else setTimeout(() => void client.refetchQueries({ include: ["AssistantConversation"] }), 500);
  });

  return {
    token,
    client,
    dispose: () => {
      void wsClient.dispose();
      client.stop();
    },
  };
}

let current: ClientBundle | null = null;

/**
 * One Apollo client per signed-in token: signing in as someone else starts with an empty cache
 * and a fresh websocket carrying the new credentials.
 */
export function apolloClientFor(token: string | null): ApolloClient {
  if (current && current.token === token) return current.client;
  const previous = current;
  current = createBundle(token);
  if (previous) setTimeout(() => previous.dispose(), 0);
  return current.client;
}
