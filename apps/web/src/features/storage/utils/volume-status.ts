import type { StorageVolumeStatus } from "../../../gql/graphql";

const BUSY: ReadonlySet<StorageVolumeStatus> = new Set(["PROVISIONING", "EXPANDING", "DELETING"]);

export function isBusyStatus(status: StorageVolumeStatus): boolean {
  return BUSY.has(status);
}

export const STATUS_LABEL: Record<StorageVolumeStatus, string> = {
  PROVISIONING: "Provisioning",
  AVAILABLE: "Available",
  EXPANDING: "Expanding",
  DELETING: "Deleting",
  DELETED: "Deleted",
  FAILED: "Failed",
};

/** Why a row action is unavailable for a volume in this status, or null when it is available. */
export function actionBlockedReason(status: StorageVolumeStatus): string | null {
  if (status === "DELETED") return "This volume has been deleted.";
  if (isBusyStatus(status)) {
    return `Unavailable while the volume is ${STATUS_LABEL[status].toLowerCase()}.`;
  }
  return null;
}
