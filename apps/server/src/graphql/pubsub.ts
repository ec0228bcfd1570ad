import { createPubSub } from "@graphql-yoga/subscription";
import type { AssistantMessageRecord } from "../modules/assistant/assistant.repository.js";
import type { BackupRunRecord } from "../modules/backups/backup.repository.js";
import type { CapacityAlertRecord } from "../modules/monitoring/capacity-alert.repository.js";
import type { StorageVolumeRecord } from "../modules/volumes/volume.repository.js";

/**
 * Every topic and its payload in one map. Topics are keyed by workspace id so a subscriber
 * only ever receives its own workspace's events.
 */
export type Topics = {
  STORAGE_VOLUME_CHANGED: [workspaceId: string, payload: StorageVolumeRecord];
  BACKUP_RUN_CHANGED: [applicationId: string, payload: BackupRunRecord];
  ASSISTANT_MESSAGE_ADDED: [workspaceId: string, payload: AssistantMessageRecord];
  CAPACITY_ALERT_RAISED: [workspaceId: string, payload: CapacityAlertRecord];
};

export type PubSub = ReturnType<typeof createPubSub<Topics>>;

/** In-process pub/sub; several instances need the PostgreSQL LISTEN/NOTIFY implementation behind the same interface. */
export const createInProcessPubSub = (): PubSub => createPubSub<Topics>();
