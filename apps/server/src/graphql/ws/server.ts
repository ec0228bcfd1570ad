import {
  createSourceEventStream,
  execute,
  getVariableValues,
  GraphQLError,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from "graphql";
import type { Admission, AdmissionRequest } from "../edge/admission.js";
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, handleProtocols, MessageType, parseMessage, type SubscribePayload } from "graphql-ws";
import type { RawData, WebSocket, WebSocketServer } from "ws";
import { withoutSuggestions } from "../edge/http-plugin.js";
import { DocumentCache, withCode } from "./document-cache.js";
import { Connection, Operation } from "./connection.js";
import { SharedStream } from "./shared-stream.js";
import { firstViewerDependentField } from "./viewer-dependence.js";

export interface GraphQLWsServerOptions<Auth extends object> {
  schema: GraphQLSchema;
  wss: WebSocketServer;
  /**
   * Who the connection is, from its connection_init payload: once per connection, not per operation.
   * Return null to refuse the connection (4403 Forbidden); a rejection closes it with 4500.
   */
  authenticate(connectionParams: Readonly<Record<string, unknown>>): Promise<Auth | null>;
  /** A fresh context for one operation, or for one event's shared execution. */
  context(auth: Auth): unknown;
  /** `Type.field` coordinates whose results are the same for every viewer (see viewer-dependence.ts). */
  viewerIndependentFields: ReadonlySet<string>;
  formatError?(error: GraphQLError): GraphQLFormattedError;
  onOpenSubscriptionsChange?(count: number): void;
  /** Failures of the server itself (not of an operation); default console.error. */
  logError?(message: string, error: unknown): void;
  /** Default 3 s, as graphql-ws. */
  connectionInitWaitTimeoutMs?: number;
  /** Ping every socket this often; one that has not answered the previous ping is dropped. Default 12 s, as graphql-ws. */
  keepAliveMs?: number;
  documentCacheSize?: number;
  /** Extra validation rules (the edge's limits) and parse options (its token limit), as Apollo has over HTTP. */
  validationRules?: readonly ValidationRule[];
  parseOptions?: ParseOptions;
  /** The edge's checks after validation, before anything runs (graphql/edge/admission.ts); all admitted when absent. */
  admit?(auth: Auth, request: Omit<AdmissionRequest, "signedIn">): Admission;
  /** Whether this caller's error messages lose graphql-js's "Did you mean" suggestions. */
  hideSuggestions?(auth: Auth): boolean;
}

export interface GraphQLWsServer {
  /** Subscriptions open right now (one per subscribe message that is streaming). */
  readonly subscriptionsOpen: number;
  /** Source streams open right now: subscribers that asked the same thing share one. */
  readonly sharedStreams: number;
  /** Events executed so far (once per shared stream, not per subscriber). */
  readonly executions: number;
  dispose(): Promise<void>;
}

const kConnection = Symbol("graphql-ws connection");
type TrackedSocket<Auth extends object> = WebSocket & { [kConnection]?: Connection<Auth> };

const closeReason = (reason: string, fallback: string) => (Buffer.byteLength(reason) < 124 ? reason : fallback);

/**
 * A server for graphql-ws's protocol (graphql-transport-ws) built for fan-out: documents parsed and
 * validated once, subscriptions that asked the same thing sharing one source stream and one execution
 * per event, and lean per-connection state. Protocol behaviour follows graphql-ws's own server.
 */
export function createGraphQLWsServer<Auth extends object>(options: GraphQLWsServerOptions<Auth>): GraphQLWsServer {
  const { schema, wss } = options;
  const documents = new DocumentCache(schema, {
    capacity: options.documentCacheSize,
    rules: options.validationRules,
    parseOptions: options.parseOptions,
  });
  const formatError = options.formatError ?? ((error: GraphQLError) => error.toJSON());
  const logError = options.logError ?? ((message: string, error: unknown) => console.error(message, error));
  const streams = new Map<string, SharedStream>();
  const authIds = new WeakMap<object, number>();
  let nextAuthId = 0;
  let subscriptionsOpen = 0;
  let executions = 0;
  let disposed = false;

  const setOpen = (delta: number) => {
    subscriptionsOpen += delta;
    options.onOpenSubscriptionsChange?.(subscriptionsOpen);
  };

  wss.options.handleProtocols = handleProtocols;

  // ---- connections ----

  const onConnection = (socket: TrackedSocket<Auth>) => {
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      socket.close(CloseCode.SubprotocolNotAcceptable, "Subprotocol not acceptable");
      return;
    }
    const connection = new Connection<Auth>(socket);
    socket[kConnection] = connection;
    const wait = options.connectionInitWaitTimeoutMs ?? 3_000;
    if (wait > 0 && Number.isFinite(wait)) {
      connection.initTimer = setTimeout(() => {
        if (!connection.initReceived) socket.close(CloseCode.ConnectionInitialisationTimeout, "Connection initialisation timeout");
      }, wait);
    }
    socket.on("message", onMessage);
    socket.on("pong", onPong);
    socket.once("close", onClose);
    socket.once("error", onSocketError);
  };

  function onMessage(this: TrackedSocket<Auth>, data: RawData) {
    const connection = this[kConnection];
    if (!connection) return;
    handle(connection, String(data)).catch((error: unknown) => {
      logError("graphql-ws: internal error while handling a message", error);
      this.close(CloseCode.InternalServerError, "Internal server error");
    });
  }

  function onPong(this: TrackedSocket<Auth>) {
    const connection = this[kConnection];
    if (connection) connection.alive = true;
  }

  function onSocketError(this: TrackedSocket<Auth>, error: Error) {
    logError("graphql-ws: socket error", error);
    this.close(CloseCode.InternalServerError, "Internal server error");
  }

  function onClose(this: TrackedSocket<Auth>) {
    const connection = this[kConnection];
    if (!connection) return;
    delete this[kConnection];
    if (connection.initTimer) clearTimeout(connection.initTimer);
    for (const operation of connection.operations.values()) leave(operation);
    connection.operations.clear();
  }

  wss.on("connection", onConnection);

  const keepAlive = options.keepAliveMs ?? 12_000;
  // One timer for every socket rather than one per socket: a socket that missed the last ping is gone.
  const pinger =
    keepAlive > 0 && Number.isFinite(keepAlive)
      ? setInterval(() => {
          for (const socket of wss.clients as Set<TrackedSocket<Auth>>) {
            const connection = socket[kConnection];
            if (!connection || socket.readyState !== socket.OPEN) continue;
            if (!connection.alive) {
              socket.terminate();
              continue;
            }
            connection.alive = false;
            socket.ping();
          }
        }, keepAlive).unref()
      : undefined;

  // ---- messages ----

  async function handle(connection: Connection<Auth>, data: string): Promise<void> {
    const { socket } = connection;
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(data);
    } catch (error) {
      socket.close(
        CloseCode.BadRequest,
        closeReason(error instanceof Error ? error.message : "Invalid message received", "Invalid message received"),
      );
      return;
    }
    switch (message.type) {
      case MessageType.ConnectionInit: {
        if (connection.initReceived) {
          socket.close(CloseCode.TooManyInitialisationRequests, "Too many initialisation requests");
          return;
        }
        connection.initReceived = true;
        if (connection.initTimer) clearTimeout(connection.initTimer);
        connection.initTimer = undefined;
        const auth = await options.authenticate(message.payload ?? {});
        if (!auth) {
          socket.close(CloseCode.Forbidden, "Forbidden");
          return;
        }
        connection.auth = auth;
        connection.send(`{"type":"connection_ack"}`);
        return;
      }
      case MessageType.Ping:
        connection.send(message.payload ? JSON.stringify({ type: MessageType.Pong, payload: message.payload }) : `{"type":"pong"}`);
        return;
      case MessageType.Pong:
        return;
      case MessageType.Subscribe: {
        if (!connection.auth) {
          socket.close(CloseCode.Unauthorized, "Unauthorized");
          return;
        }
        if (connection.operations.has(message.id)) {
          socket.close(
            CloseCode.SubscriberAlreadyExists,
            closeReason(`Subscriber for ${message.id} already exists`, "Subscriber already exists"),
          );
          return;
        }
        const operation = new Operation(connection as Connection<object>, message.id, forget);
        connection.operations.set(message.id, operation);
        try {
          await run(connection, connection.auth, operation, message.payload);
        } finally {
          if (!operation.stream) forget(operation);
        }
        return;
      }
      case MessageType.Complete: {
        const operation = connection.operations.get(message.id);
        if (operation) leave(operation);
        return;
      }
      default:
        socket.close(CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  }

  /** Runs a subscribe message: a query or mutation once, a subscription by joining (or starting) its shared stream. */
  async function run(connection: Connection<Auth>, auth: Auth, operation: Operation, payload: SubscribePayload): Promise<void> {
    const entry = documents.get(payload.query);
    if (!entry.ok) return sendErrors(operation, entry.errors, auth);
    const cached = DocumentCache.operation(entry, payload.operationName);
    if (!cached)
      return sendErrors(operation, [new GraphQLError("Unable to identify operation", { extensions: { code: "BAD_USER_INPUT" } })], auth);
    const { document } = entry;
    const operationName = payload.operationName ?? undefined;
    const admission = options.admit?.(auth, { schema, document, operation: cached.definition, variables: payload.variables });
    if (admission && !admission.ok) return sendErrors(operation, admission.errors, auth);
    const variableValues = payload.variables ?? undefined;

    if (cached.definition.operation !== "subscription") {
      const result = await execute({ schema, document, operationName, variableValues, contextValue: options.context(auth) });
      if (operation.current) sendResultAndComplete(operation, result);
      return;
    }

    // Each subscriber passes the field's own subscribe function (its membership check) itself.
    const source = await createSourceEventStream({ schema, document, operationName, variableValues, contextValue: options.context(auth) });
    if (!isAsyncIterable(source)) {
      if (operation.current) sendResultAndComplete(operation, source);
      return;
    }
    const iterator = source[Symbol.asyncIterator]();
    if (!operation.current || disposed) {
      void iterator.return?.();
      return;
    }

    cached.viewerDependentField ??= firstViewerDependentField(schema, document, cached.definition, options.viewerIndependentFields);
    const key = sharingKey(
      payload.query,
      operationName,
      cached.definition.variableDefinitions,
      variableValues,
      cached.viewerDependentField ? auth : null,
    );
    let stream = streams.get(key);
    if (stream && !stream.isClosed) {
      // Joining: this subscriber's own stream only served to check it may subscribe.
      void iterator.return?.();
    } else {
      const created: SharedStream = new SharedStream(
        iterator,
        { schema, document, operationName, variableValues, context: () => options.context(auth), formatError },
        () => void executions++,
        () => {
          if (streams.get(key) === created) streams.delete(key);
        },
      );
      stream = created;
      streams.set(key, created);
      created.start();
    }
    operation.stream = stream;
    stream.add(operation);
    setOpen(+1);
  }

  /**
   * Subscribers share when the document, operation and coerced variables are the same (they passed the
   * same check on the same arguments), and also the same caller when a selected field reads the viewer.
   */
  function sharingKey(
    query: string,
    operationName: string | undefined,
    definitions: Parameters<typeof getVariableValues>[1] | undefined,
    variables: Record<string, unknown> | undefined,
    viewer: Auth | null,
  ): string {
    const coerced = getVariableValues(schema, definitions ?? [], variables ?? {});
    const values = "coerced" in coerced ? JSON.stringify(coerced.coerced) : JSON.stringify(variables ?? {});
    let key = `${operationName ?? ""}\u0000${values}\u0000${query}`;
    if (viewer) {
      let id = authIds.get(viewer);
      if (id === undefined) authIds.set(viewer, (id = ++nextAuthId));
      key = `${id}\u0000${key}`;
    }
    return key;
  }

  /** The client completed the operation, or its socket closed. */
  function leave(operation: Operation) {
    const stream = operation.stream;
    forget(operation);
    stream?.remove(operation);
  }

  /** The server is done with the operation (or its stream ended on its own). */
  function forget(operation: Operation) {
    if (operation.current) operation.connection.operations.delete(operation.id);
    if (operation.stream) {
      operation.stream = undefined;
      setOpen(-1);
    }
  }

  function sendErrors(operation: Operation, errors: readonly GraphQLError[], auth: Auth) {
    if (!operation.current) return;
    let formatted = errors.map((e) => formatError(e));
    if (options.hideSuggestions?.(auth)) formatted = formatted.map((e) => ({ ...e, message: withoutSuggestions(e.message) }));
    operation.send(`{"id":${JSON.stringify(operation.id)},"type":"error","payload":${JSON.stringify(formatted)}}`);
  }

  function sendResultAndComplete(operation: Operation, result: ExecutionResult) {
    const payload = JSON.stringify(result.errors ? { ...result, errors: result.errors.map((e) => formatError(coercionCoded(e))) } : result);
    const id = JSON.stringify(operation.id);
    operation.send(`${operation.nextPrefix}${payload}}`);
    operation.send(`{"id":${id},"type":"complete"}`);
  }

  return {
    get subscriptionsOpen() {
      return subscriptionsOpen;
    },
    get sharedStreams() {
      return streams.size;
    },
    get executions() {
      return executions;
    },
    async dispose() {
      disposed = true;
      if (pinger) clearInterval(pinger);
      wss.off("connection", onConnection);
      // Streams close silently: the sockets go away with 1001, and graphql-ws clients resubscribe elsewhere.
      for (const stream of [...streams.values()]) stream.close();
      for (const socket of wss.clients) socket.close(1001, "Going away");
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

const isAsyncIterable = (value: object): value is AsyncIterable<unknown> => Symbol.asyncIterator in value;

/**
 * Errors graphql-js raises before running any resolver (a variable of the wrong type) carry no code;
 * Apollo calls them BAD_USER_INPUT over HTTP, so they get that code here too and format alike.
 */
function coercionCoded(error: GraphQLError): GraphQLError {
  return error.path === undefined && error.originalError === undefined && error.extensions["code"] === undefined
    ? withCode(error, "BAD_USER_INPUT")
    : error;
}
