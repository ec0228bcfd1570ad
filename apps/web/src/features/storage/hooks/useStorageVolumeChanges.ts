import { useEffect, useRef } from "react";
import { useApolloClient, useSubscription } from "@apollo/client/react";
import type { ResultOf } from "@graphql-typed-document-node/core";
import { useAnnounce } from "../../../components/a11y/useAnnounce";
import { VolumesTable_StorageVolumeFragment } from "../components/VolumesTable";
import { StorageVolumeChangedSubscription } from "../graphql/volume-subscription";
import { volumeStatusAnnouncement, volumeStatusSummary } from "../utils/volume-announcement";
import { upsertVolumeInWorkspaceLists } from "../utils/volume-cache";
import { useStorageSummaryRefresh } from "./useStorageSummaryRefresh";

type ChangedVolume = ResultOf<typeof StorageVolumeChangedSubscription>["storageVolumeChanged"];

/** Events arriving within this many ms are written to the cache together. */
const BATCH_MS = 50;

/**
 * Live volume updates: each change is normalized into the cache (status changes show at once), new
 * volumes are added to the workspace's list and the summary is re-read.
 *
 * Every cache write makes the page re-read its volume list, which costs time in proportion to the
 * list (tens of ms per thousand volumes). So the events of a burst (a bulk change, a reconnect) are
 * written in one batch: one re-read for the burst instead of one per event.
 *
 * `listChanges` gets a "change" event per batch, its detail the changed volumes ({ id, status }): a server-paged
 * list re-reads its pages when one of them is new to it or deleted. Other changes reach the rows through the cache.
 */
export function useStorageVolumeChanges(workspaceId: string, listChanges?: EventTarget) {
  const client = useApolloClient();
  const refreshSummary = useStorageSummaryRefresh(workspaceId);
  const pending = useRef<ChangedVolume[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const announce = useAnnounce();

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const { error } = useSubscription(StorageVolumeChangedSubscription, {
    variables: { workspaceId },
    // Written below, in batches.
    fetchPolicy: "no-cache",
    onData: ({ data }) => {
      const volume = data.data?.storageVolumeChanged;
      if (!volume) return;
      pending.current.push(volume);
      timer.current ??= setTimeout(() => {
        timer.current = null;
        const volumes = pending.current;
        pending.current = [];
        // Said before the write, while the cache still holds each volume's previous status.
        for (const v of volumes) {
          const before = client.cache.readFragment({
            id: client.cache.identify({ __typename: "StorageVolume", id: v.id }),
            fragment: VolumesTable_StorageVolumeFragment,
            fragmentName: "VolumesTable_StorageVolumeFragment",
          });
          const name = (v as unknown as { name?: string }).name ?? before?.name ?? "";
          const said = volumeStatusAnnouncement(name, v.status, before?.status);
          if (said) {
            announce(said.text, {
              politeness: said.assertive ? "assertive" : "polite",
              group: said.assertive ? undefined : "volume-status",
              summary: volumeStatusSummary,
              key: v.id,
            });
          }
        }
        client.cache.batch({
          update(cache) {
            for (const v of volumes) {
              cache.write({
                query: StorageVolumeChangedSubscription,
                dataId: "ROOT_SUBSCRIPTION",
                variables: { workspaceId },
                // Normalized by its type and id (the result of a no-cache subscription may lack the type).
                result: { storageVolumeChanged: { __typename: "StorageVolume", ...v } as ChangedVolume },
              });
              upsertVolumeInWorkspaceLists(cache, v);
            }
          },
        });
        refreshSummary();
        listChanges?.dispatchEvent(new CustomEvent("change", { detail: volumes.map((v) => ({ id: v.id, status: v.status })) }));
      }, BATCH_MS);
    },
  });
  return { live: !error, error };
}
