import type { PubSub } from "../kernel/pubsub.js";
import type { AssistantMessageRecord } from "./assistant/assistant.repository.js";
import type { BackupRunRecord } from "./backups/backup.repository.js";
import type { CapacityAlertRecord } from "./monitoring/capacity-alert.repository.js";
import type { StorageVolumeRecord } from "./volumes/volume.repository.js";

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

export type AppPubSub = PubSub<Topics>;
