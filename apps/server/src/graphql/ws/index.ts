import type { GraphQLError, GraphQLFormattedError, GraphQLSchema, ParseOptions, ValidationRule } from "graphql";
import type { Admit } from "../edge/admission.js";
import type { WebSocketServer } from "ws";
import type { Logger } from "../../logger.js";
import type { Services } from "../../services.js";
import { authenticate, contextFor, type Authentication } from "../context-factory.js";
import { createGraphQLWsServer, type GraphQLWsServer } from "./server.js";
import { viewerIndependentFields } from "./viewer-independent-fields.js";

export type { GraphQLWsServer } from "./server.js";

export interface ServeGraphQLWsOptions {
  wss: WebSocketServer;
  schema: GraphQLSchema;
  services: Services;
  logger: Logger;
  /** The edge's limits and checks, the same as over HTTP. */
  edge?: { admit: Admit; validationRules: readonly ValidationRule[]; parseOptions: ParseOptions; production: boolean };
  formatError(error: GraphQLError): GraphQLFormattedError;
  onOpenSubscriptionsChange?(count: number): void;
}

/**
 * graphql-ws on `wss` for this product: a connection authenticates once from `connectionParams.authorization`
 * with the HTTP semantics (no token or a bad one is acknowledged as anonymous, and every guarded field
 * then answers UNAUTHENTICATED with the reason), and each operation or event gets fresh batch loaders.
 */
export function serveGraphQLWs(options: ServeGraphQLWsOptions): GraphQLWsServer {
  const { services } = options;
  // Connections presenting the same token while it is being checked share the check and its result:
  // a reconnect storm after a restart costs one lookup per user, not one per tab.
  const inFlight = new Map<string, Promise<Authentication>>();
  const authenticateOnce = (authorization: unknown): Promise<Authentication> => {
    if (typeof authorization !== "string") return authenticate(services, authorization);
    let pending = inFlight.get(authorization);
    if (!pending) {
      pending = authenticate(services, authorization).finally(() => inFlight.delete(authorization));
      inFlight.set(authorization, pending);
    }
    return pending;
  };

  return createGraphQLWsServer<Authentication>({
    wss: options.wss,
    schema: options.schema,
    authenticate: (params) => authenticateOnce(params["authorization"] ?? params["Authorization"]),
    context: (authentication) => contextFor(services, authentication),
    viewerIndependentFields: viewerIndependentFields(),
    formatError: options.formatError,
    validationRules: options.edge?.validationRules,
    parseOptions: options.edge?.parseOptions,
    admit: options.edge
      ? (authentication, request) => options.edge!.admit({ ...request, signedIn: authentication.viewer !== null })
      : undefined,
    hideSuggestions: (authentication) => Boolean(options.edge?.production) && authentication.viewer === null,
    onOpenSubscriptionsChange: options.onOpenSubscriptionsChange,
    logError: (message, error) => options.logger.error(message, { error: String((error as Error)?.stack ?? error) }),
  });
}
