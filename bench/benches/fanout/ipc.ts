/**
 * Request/reply over a child process's IPC channel: the fan-out bench's parent drives its server and
 * client processes with small commands, and they push notifications ("every socket got event 7").
 */
import type { ChildProcess } from "node:child_process";

type Handler = (message: Record<string, unknown>) => unknown;

/** In a child: answer each `{ id, cmd, ...args }` with `{ id, ...result }` (or `{ id, error }`). */
export function serve(handlers: Record<string, Handler>): void {
  process.on("message", (message: Record<string, unknown>) => {
    const { id, cmd } = message as { id: number; cmd: string };
    Promise.resolve()
      .then(() => {
        const handler = handlers[cmd];
        if (!handler) throw new Error(`unknown command ${cmd}`);
        return handler(message);
      })
      .then(
        (result) => process.send!({ id, ...(result as object) }),
        (error: unknown) => process.send!({ id, error: String((error as Error)?.stack ?? error) }),
      );
  });
}

/** In a child: a message the parent did not ask for. */
export const notify = (message: Record<string, unknown>): void => void process.send!(message);

/** In the parent: one child, its commands as promises, its notifications to a callback. */
export class Peer {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: Record<string, unknown>): void; reject(error: Error): void }>();

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    onNotice: (message: Record<string, unknown>) => void = () => undefined,
  ) {
    child.on("message", (message: Record<string, unknown>) => {
      const id = message["id"];
      if (typeof id !== "number") return onNotice(message);
      const waiter = this.pending.get(id);
      this.pending.delete(id);
      if (message["error"]) waiter?.reject(new Error(`${name}: ${String(message["error"])}`));
      else waiter?.resolve(message);
    });
    child.on("exit", (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${name} exited with code ${code}`));
      this.pending.clear();
    });
  }

  call<T = Record<string, unknown>>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: Record<string, unknown>) => void, reject });
      this.child.send({ id, cmd, ...args });
    });
  }
}

/** Memory of this process after full collections: what the subscribers hold, not garbage. */
export async function settledMemory(): Promise<{ rss: number; heapUsed: number; external: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}
