import { getMetadataStorage } from "type-graphql";

/**
 * Resolvers reachable from subscription payloads that were read and found not to depend on who is
 * asking, with the reason. Every subscriber has passed the subscription's own membership check for the
 * workspace (or application) named in its arguments before it shares anything, and every event on a
 * topic belongs to that workspace, so "the same for every member" is what each entry claims.
 * A resolver missing here is treated as reading the viewer: its subscribers share per viewer only.
 */
const VOUCHED: Record<string, string> = {
  "Subscription.storageVolumeChanged":
    "the stream is the pubsub topic of the workspaceId argument; VolumeService.subscribe checks the viewer's membership per subscriber; resolve returns the event",
  "Subscription.backupRunChanged":
    "the stream is the topic of the applicationId argument; BackupService.subscribe checks membership per subscriber; resolve returns the event",
  "Subscription.assistantMessageAdded":
    "the workspace's topic; AssistantService.subscribe checks membership per subscriber; resolve returns the event",
  "Subscription.capacityAlertRaised":
    "the workspace's topic; AssistantService.subscribe checks membership per subscriber; resolve returns the event",
  "StorageVolume.monthlyCost": "size times the price of the volume's workspace plan",
  "StorageVolume.currency": "the currency of the volume's workspace plan",
  "StorageVolume.requestedSizeGiB": "the target of the volume's latest operation",
  "StorageVolume.usage": "the volume's latest usage sample, by volume id",
  "StorageVolume.usageHistory": "the volume's usage samples, by volume id",
  "BackupRun.durationSeconds": "arithmetic on the run's own timestamps",
  // Not BackupRun.logs: it reads the viewer's roles (a run's live log is fetched only for a member).
};

/**
 * `Type.field` coordinates whose value is the same for every viewer: the vouched resolvers above, and
 * type-graphql's plain fields (no field resolver, no guard, no middleware), which only read the
 * property of the same name off their parent. type-graphql wraps even those in a resolver, so graphql's
 * own "no resolver" cannot tell them apart; its metadata can. Call after the schema is built.
 */
export function viewerIndependentFields(): ReadonlySet<string> {
  const storage = getMetadataStorage();
  const independent = new Set(Object.keys(VOUCHED));
  for (const type of storage.objectTypes) {
    for (const field of type.fields ?? []) {
      const resolved = storage.fieldResolvers.some((r) => r.methodName === field.name && r.getObjectType?.() === field.target);
      if (!resolved && !field.roles?.length && !field.middlewares?.length) independent.add(`${type.name}.${field.schemaName}`);
    }
  }
  return independent;
}
