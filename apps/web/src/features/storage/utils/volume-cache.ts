import type { ApolloCache, Reference } from "@apollo/client";

/**
 * Puts a volume (already normalized in the cache) into its workspace's volume lists, or takes
 * it out of the lists that hide deleted volumes once it is DELETED.
 */
export function upsertVolumeInWorkspaceLists(cache: ApolloCache, volume: { id: string; workspaceId: string; status?: string }): void {
  const workspaceCacheId = cache.identify({ __typename: "Workspace", id: volume.workspaceId });
  const volumeCacheId = cache.identify({ __typename: "StorageVolume", id: volume.id });
  if (!workspaceCacheId || !volumeCacheId) return;
  cache.modify<Record<string, unknown>>({
    id: workspaceCacheId,
    fields: {
      storageVolumes(existing, { readField, toReference, storeFieldName }) {
        const list = (existing ?? []) as readonly Reference[];
        const includesDeleted = storeFieldName.includes('"includeDeleted":true');
        // Normalized lists hold references named by cache id: comparing those is a string test per
        // row, where readField would look every entity up (this runs on every live event).
        const isThis = (ref: Reference) => (ref.__ref ? ref.__ref === volumeCacheId : readField("id", ref) === volume.id);
        const present = list.some(isThis);
        if (volume.status === "DELETED" && !includesDeleted) {
          return present ? list.filter((ref) => !isThis(ref)) : list;
        }
        if (present) return list;
        const ref = toReference(volumeCacheId);
        return ref ? [...list, ref] : list;
      },
    },
  });
}
