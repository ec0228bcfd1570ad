import { useCallback, useEffect, useRef } from "react";
import { useApolloClient, useSubscription } from "@apollo/client/react";
import { CapacityAlertRaisedSubscription, CapacityAlertsRefreshQuery } from "../graphql/volume-usage";

/**
 * Live capacity alerts: when one is raised, escalated or cleared, the open alerts are re-read
 * (debounced) and `onChange` runs (e.g. to re-read the volumes' usage).
 */
export function useCapacityAlertChanges(workspaceId: string, onChange?: () => void, delayMs = 300) {
  const client = useApolloClient();
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const refresh = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      timer.current = null;
      client
        .query({ query: CapacityAlertsRefreshQuery, variables: { workspaceId }, fetchPolicy: "network-only" })
        .catch(() => {
          /* the next alert or a reload will try again */
        });
      onChange?.();
    }, delayMs);
  }, [client, workspaceId, onChange, delayMs]);

  const { error } = useSubscription(CapacityAlertRaisedSubscription, {
    variables: { workspaceId },
    ignoreResults: true,
    onData: () => refresh(),
  });
  return { live: !error, error };
}
