import { useSubscription } from "@apollo/client/react";
import { useAnnounce } from "../../../components/a11y/useAnnounce";
import { useDebouncedRefetch } from "../../../hooks/useDebouncedRefetch";
import { VolumesTable_StorageVolumeFragment } from "../components/VolumesTable";
import { capacityAlertAnnouncement } from "../utils/volume-announcement";
import { CapacityAlertRaisedSubscription, CapacityAlertsRefreshQuery } from "../graphql/volume-usage";

/**
 * Live capacity alerts: when one is raised, escalated or cleared, the open alerts are re-read
 * (debounced), `onChange` runs (e.g. to re-read the volumes' usage) and the change is said to
 * screen-reader users (the badge alone is silent).
 */
export function useCapacityAlertChanges(workspaceId: string, onChange?: () => void, delayMs = 300) {
  const refresh = useDebouncedRefetch(CapacityAlertsRefreshQuery, { workspaceId }, delayMs, onChange);
  const announce = useAnnounce();

  const { error } = useSubscription(CapacityAlertRaisedSubscription, {
    variables: { workspaceId },
    ignoreResults: true,
    onData: ({ client, data }) => {
      refresh();
      const alert = data.data?.capacityAlertRaised;
      if (!alert) return;
      const volume = client.cache.readFragment({
        id: client.cache.identify({ __typename: "StorageVolume", id: alert.volumeId }),
        fragment: VolumesTable_StorageVolumeFragment,
        fragmentName: "VolumesTable_StorageVolumeFragment",
      });
      const said = capacityAlertAnnouncement(volume?.name ?? "", alert);
      announce(said.text, {
        politeness: said.assertive ? "assertive" : "polite",
        group: "capacity-alert",
        summary: (n) => `${n} capacity alerts changed.`,
      });
    },
  });
  return { live: !error, error };
}
