import { useSubscription } from "@apollo/client/react";
import { useDebouncedRefetch } from "../../../hooks/useDebouncedRefetch";
import { CapacityAlertRaisedSubscription, CapacityAlertsRefreshQuery } from "../graphql/volume-usage";

/**
 * Live capacity alerts: when one is raised, escalated or cleared, the open alerts are re-read
 * (debounced) and `onChange` runs (e.g. to re-read the volumes' usage).
 */
export function useCapacityAlertChanges(workspaceId: string, onChange?: () => void, delayMs = 300) {
  const refresh = useDebouncedRefetch(CapacityAlertsRefreshQuery, { workspaceId }, delayMs, onChange);

  const { error } = useSubscription(CapacityAlertRaisedSubscription, {
    variables: { workspaceId },
    ignoreResults: true,
    onData: () => refresh(),
  });
  return { live: !error, error };
}
