import type { ServerOptions } from "graphql-ws";
import type { ServerMetrics } from "./metrics.js";

type Hooks = Pick<ServerOptions<Record<string, unknown> | undefined, unknown>, "onOperation" | "onComplete" | "onClose">;

/**
 * graphql-ws hooks that keep hks_graphql_subscriptions_open exact. A subscription counts once its
 * source stream exists (onOperation with an async iterable) and stops counting when it completes,
 * fails, or its socket closes; queries and mutations sent over the socket never count.
 */
export function subscriptionGaugeHooks(metrics: ServerMetrics): Hooks {
  const bySocket = new WeakMap<object, Set<string>>();
  let open = 0;
  const release = (ids: Set<string>, id: string) => {
    if (ids.delete(id)) metrics.setSubscriptionsOpen(--open);
  };
  return {
    onOperation: (ctx, id, _payload, _args, result) => {
      if (!(Symbol.asyncIterator in result)) return;
      let ids = bySocket.get(ctx);
      if (!ids) bySocket.set(ctx, (ids = new Set()));
      ids.add(id);
      metrics.setSubscriptionsOpen(++open);
    },
    onComplete: (ctx, id) => {
      const ids = bySocket.get(ctx);
      if (ids) release(ids, id);
    },
    onClose: (ctx) => {
      const ids = bySocket.get(ctx);
      if (ids) for (const id of [...ids]) release(ids, id);
    },
  };
}
