import { execute, GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from "graphql";

/** Where a shared stream delivers: one subscription (its id, on its socket). */
export interface Subscriber {
  /** `{"id":<id>,"type":"next","payload":` — the next message is this, the shared payload and `}`. */
  readonly nextPrefix: string;
  readonly id: string;
  send(message: string): void;
  /** The stream ended or failed: the subscription is over (the server forgets it). */
  ended(): void;
}

export interface SharedExecution {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName: string | undefined;
  variableValues: Readonly<Record<string, unknown>> | undefined;
  /** A fresh context per event, so per-request state (batch loaders) never outlives one event. */
  context(): unknown;
  formatError(error: GraphQLError): GraphQLFormattedError;
}

/**
 * One source stream and one execution per event for every subscriber that asked the same thing and
 * passed the same check: the result is serialised once and each socket gets it behind its own id.
 * graphql-js's `subscribe` would instead execute and serialise the event once per subscriber.
 */
export class SharedStream {
  readonly subscribers = new Set<Subscriber>();
  private closed = false;

  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly execution: SharedExecution,
    private readonly onEvent: () => void,
    private readonly onEnd: (stream: SharedStream) => void,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  start(): void {
    void this.pump();
  }

  add(subscriber: Subscriber): void {
    this.subscribers.add(subscriber);
  }

  /** The last subscriber leaving closes the source (the pubsub listener goes with it). */
  remove(subscriber: Subscriber): void {
    if (this.subscribers.delete(subscriber) && this.subscribers.size === 0) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onEnd(this);
    void this.source.return?.().catch(() => undefined);
  }

  private async pump(): Promise<void> {
    let failure: string | null = null;
    try {
      for (;;) {
        const step = await this.source.next();
        if (step.done || this.closed) break;
        const payload = await this.executeOnce(step.value);
        this.onEvent();
        for (const subscriber of this.subscribers) subscriber.send(subscriber.nextPrefix + payload + "}");
      }
    } catch (error) {
      // The source itself failed: as graphql-ws does, each subscription gets an error message and ends.
      const cause = error instanceof Error ? error : new Error(String(error));
      failure = JSON.stringify([
        this.execution.formatError(error instanceof GraphQLError ? error : new GraphQLError(cause.message, { originalError: cause })),
      ]);
    }
    // Closed by the server (last subscriber gone, or shutdown): nobody is told, as graphql-ws does on shutdown.
    if (!this.closed) this.finish(failure);
  }

  /** The serialised `next` payload of one event: data and errors, the errors formatted as over HTTP. */
  private async executeOnce(event: unknown): Promise<string> {
    const { schema, document, operationName, variableValues, formatError } = this.execution;
    let result: ExecutionResult;
    try {
      result = await execute({ schema, document, operationName, variableValues, rootValue: event, contextValue: this.execution.context() });
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      result = { errors: [error instanceof GraphQLError ? error : new GraphQLError(cause.message, { originalError: cause })] };
    }
    return JSON.stringify(result.errors ? { ...result, errors: result.errors.map(formatError) } : result);
  }

  /** Ends every subscription: `complete` when the source ran out, `error` with `errorsJson` when it failed. */
  private finish(errorsJson: string | null): void {
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    this.close();
    for (const subscriber of subscribers) {
      const id = JSON.stringify(subscriber.id);
      subscriber.send(errorsJson === null ? `{"id":${id},"type":"complete"}` : `{"id":${id},"type":"error","payload":${errorsJson}}`);
      subscriber.ended();
    }
  }
}
