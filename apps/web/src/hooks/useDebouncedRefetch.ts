import { useCallback, useEffect, useRef } from "react";
import { useApolloClient } from "@apollo/client/react";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";

/**
 * A debounced network re-read of one query: a burst of live events causes one request. Failures are
 * left alone on purpose: the next event, or a reload, reads again.
 */
export function useDebouncedRefetch<TData, TVariables extends Record<string, unknown>>(
  query: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  delayMs: number,
  after?: () => void,
): () => void {
  const client = useApolloClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = JSON.stringify(variables);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      client.query({ query, variables: JSON.parse(key) as TVariables, fetchPolicy: "network-only" }).catch(() => undefined);
      after?.();
    }, delayMs);
  }, [client, query, key, delayMs, after]);
}
