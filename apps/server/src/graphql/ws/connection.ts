import type { WebSocket } from "ws";
import type { SharedStream, Subscriber } from "./shared-stream.js";

/**
 * What one socket costs while it idles: its state, whoever it authenticated as (shared with the other
 * connections that presented the same token at the same time), and its operations by id. Listeners
 * are shared functions that find the connection on the socket, not closures per connection.
 */
export class Connection<Auth extends object> {
  initReceived = false;
  auth: Auth | null = null;
  alive = true;
  initTimer: NodeJS.Timeout | undefined;
  readonly operations = new Map<string, Operation>();

  constructor(readonly socket: WebSocket) {}

  send(message: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(message);
  }
}

/** A subscribe message being handled: a query or mutation in flight, or a subscription being set up or streaming. */
export class Operation implements Subscriber {
  stream: SharedStream | undefined;
  readonly nextPrefix: string;

  constructor(
    readonly connection: Connection<object>,
    readonly id: string,
    private readonly onEnd: (operation: Operation) => void,
  ) {
    this.nextPrefix = `{"id":${JSON.stringify(id)},"type":"next","payload":`;
  }

  get current(): boolean {
    return this.connection.operations.get(this.id) === this;
  }

  send(message: string): void {
    this.connection.send(message);
  }

  ended(): void {
    this.onEnd(this);
  }
}
