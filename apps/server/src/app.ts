import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { expressMiddleware } from "@as-integrations/express5";
import compression from "compression";
import express from "express";
import { WebSocketServer } from "ws";
import { migrationsFolder, type Database } from "./db/client.js";
import type { Context } from "./graphql/context.js";
import { compiledExecution } from "./graphql/compiled-execution.js";
import { createContext } from "./graphql/context-factory.js";
import { formatError } from "./graphql/errors.js";
import { ErrorCode } from "./kernel/errors.js";
import { admitter } from "./graphql/edge/admission.js";
import { graphqlOverHttpPlugin } from "./graphql/edge/http-plugin.js";
import { DEFAULT_LIMITS, limitRules, parseOptions, type GraphQLLimits } from "./graphql/edge/limits.js";
import { buildAppSchema } from "./graphql/schema.js";
import { serveGraphQLWs, type GraphQLWsServer } from "./graphql/ws/index.js";
import type { AppPubSub as PubSub } from "./modules/topics.js";
import { DOWNLOAD_PATH } from "./modules/backups/snapshot-browse.js";
import type { Logger } from "./logger.js";
import { HealthChecks, mountOperationalRoutes, OPERATIONAL_PATHS, operationsPlugin } from "./observability/index.js";
import { securityHeaders } from "./security-headers.js";
import type { Services } from "./services.js";

export interface AppOptions {
  db: Database;
  services: Services;
  pubsub: PubSub;
  logger: Logger;
  host: string;
  port: number;
  webDist?: string;
  development: boolean;
  /** NODE_ENV=production: no introspection or field suggestions for callers who are not signed in. */
  production?: boolean;
  /** What one operation may ask for (env.ts's HKS_GRAPHQL_* settings); DEFAULT_LIMITS when not given. */
  limits?: GraphQLLimits;
}

export interface RunningApp {
  url: string;
  port: number;
  /** Subscriptions open, source streams shared, events executed (for metrics and tests). */
  graphqlWs: Pick<GraphQLWsServer, "subscriptionsOpen" | "sharedStreams" | "executions">;
  close(): Promise<void>;
}

/** The HTTP face of the product: the dashboard at `/`, GraphQL and graphql-ws at `/graphql`, health at `/livez` and `/readyz`, metrics at `/metrics`. */
export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { services, logger } = options;
  const schema = await buildAppSchema({ pubsub: options.pubsub });
  // The edge (graphql/edge/): the same limits and checks for both transports.
  const limits = options.limits ?? DEFAULT_LIMITS;
  const production = options.production ?? false;
  const edge = {
    admit: admitter(limits, { production }),
    validationRules: limitRules(limits),
    parseOptions: parseOptions(limits),
    production,
  };
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders({ development: options.development }));
  const httpServer = http.createServer(app);
  // Idle keep-alive connections are closed by the client (or the load balancer in front, ~60 s) before the
  // server closes them: a request sent just as the server closed one would otherwise fail with ECONNRESET.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;

  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql" });
  // Subscriptions fan out: one execution per event for all subscribers that asked the same (graphql/ws/).
  const graphqlWs = serveGraphQLWs({
    wss: wsServer,
    schema,
    services,
    logger,
    edge,
    formatError: (error) => formatError(error.toJSON(), error, logger),
    onOpenSubscriptionsChange: (count) => services.serverMetrics.setSubscriptionsOpen(count),
  });

  const apollo = new ApolloServer<Context>({
    // Operations run compiled (graphql-jit); schema and executor come in through Apollo's gateway interface.
    gateway: compiledExecution(schema, edge.admit),
    validationRules: edge.validationRules,
    // Apollo would turn introspection off for everyone in production; the edge refuses it only to callers not signed in.
    introspection: true,
    parseOptions: edge.parseOptions,
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown (workers, database, lab in order); Apollo's own signal handler would race it.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatError(formatted, error, logger),
    logger: {
      debug: (m) => logger.debug(String(m)),
      info: (m) => logger.info(String(m)),
      warn: (m) => logger.warn(String(m)),
      error: (m) => logger.error(String(m)),
    },
    plugins: [
      operationsPlugin(services.serverMetrics, logger),
      graphqlOverHttpPlugin({ production }),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      { serverWillStart: async () => ({ drainServer: () => graphqlWs.dispose() }) },
      options.development ? ApolloServerPluginLandingPageLocalDefault({ embed: true }) : ApolloServerPluginLandingPageDisabled(),
      // No field sets cache hints and nothing caches responses: the plugin would only cost time on every field.
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();

  mountOperationalRoutes(app, new HealthChecks(options.db, { migrationsFolder }), services.serverMetrics);
  app.use(
    "/graphql",
    express.json({ limit: limits.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: ({ req }) => {
        const receivedAt = performance.now();
        return createContext(services, req.headers.authorization).then((context) => Object.assign(context, { receivedAt }));
      },
    }),
  );
  // A file of a snapshot: the single-use token in the path is the credential (a download link carries no header).
  app.get(`${DOWNLOAD_PATH}/:token`, (req, res) => void services.snapshotDownloads.serve(String(req.params["token"]), req, res));
  serveDashboard(app, options.webDist);
  app.use(httpErrorHandler(logger, limits.maxBodyBytes));

  await new Promise<void>((resolve) => httpServer.listen(options.port, options.host, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  const displayHost = options.host === "0.0.0.0" || options.host === "127.0.0.1" ? "localhost" : options.host;
  return {
    url: `http://${displayHost}:${port}`,
    port,
    graphqlWs,
    close: async () => {
      await apollo.stop();
      wsServer.close();
    },
  };
}

/** The built dashboard, with client-side routes falling back to index.html. */
function serveDashboard(app: express.Express, webDist: string | undefined) {
  if (!webDist || !existsSync(path.join(webDist, "index.html"))) {
    app.get(
      "/",
      (_req, res) => void res.type("text").send("The dashboard is not built: run `pnpm start` (it builds apps/web) or `pnpm build`."),
    );
    return;
  }
  // The dashboard's files go compressed (its first page is about a third of its size gzipped); Vite's hashed
  // assets never change under their name, so browsers keep them for good and only index.html is revalidated.
  const dashboard = express.Router();
  dashboard.use(compression());
  dashboard.use("/assets", express.static(path.join(webDist, "assets"), { index: false, immutable: true, maxAge: "365d" }));
  dashboard.use(express.static(webDist, { index: false, maxAge: "1h" }));
  app.use(dashboard);
  const operational = Object.values(OPERATIONAL_PATHS).map((p) => p.slice(1));
  const clientRoute = new RegExp(`^/(?!(?:graphql|${operational.join("|")})(?:/|$)).*`);
  app.get(clientRoute, (_req, res) => {
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(path.join(webDist, "index.html"));
  });
}

/** Requests express rejects before GraphQL (malformed JSON, too large) answer in JSON and log as JSON, not as a stack on stderr. */
function httpErrorHandler(logger: Logger, limit: number): express.ErrorRequestHandler {
  return (error: { status?: number; statusCode?: number; expose?: boolean; message?: string; stack?: string }, req, res, _next) => {
    const status = error.status ?? error.statusCode ?? 500;
    if (status >= 500)
      logger.error("http request failed", { method: req.method, path: req.path, status, error: String(error.stack ?? error) });
    else logger.debug("http request refused", { method: req.method, path: req.path, status, error: error.message });
    if (res.headersSent) return void req.socket.destroy();
    if (status >= 500) return void res.status(status).json({ errors: [{ message: "internal error" }] });
    // The caller's mistake, said as GraphQL errors are: a code and a sentence (a body over the limit is never read).
    const tooLarge = status === 413;
    const message = tooLarge
      ? `The request body is larger than ${limit} bytes (HKS_GRAPHQL_MAX_BODY_BYTES): send a smaller operation.`
      : `The request could not be read: ${error.expose !== false ? error.message : "malformed body"}.`;
    res
      .status(status)
      .json({ errors: [{ message, extensions: { code: ErrorCode.INVALID_INPUT, ...(tooLarge ? { limit: "body" } : {}) } }] });
  };
}
