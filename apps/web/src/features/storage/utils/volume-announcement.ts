import type { CapacityAlertLevel, CapacityAlertState, StorageVolumeStatus } from "../../../gql/graphql";
import { STATUS_LABEL } from "./volume-status";

/** What a screen reader hears when a volume's status moves, e.g. "Volume data is available."; null when it did not. */
export function volumeStatusAnnouncement(
  name: string,
  status: StorageVolumeStatus,
  previous: StorageVolumeStatus | undefined,
): { text: string; assertive: boolean } | null {
  if (previous === status) return null;
  return { text: `Volume ${name} is ${STATUS_LABEL[status].toLowerCase()}.`, assertive: status === "FAILED" };
}

export const volumeStatusSummary = (count: number) => `${count} volumes changed status.`;

const ALERT_WORDS: Record<CapacityAlertLevel, string> = {
  WARNING: "is filling up",
  CRITICAL: "is almost full",
  FORECAST: "will be full soon at its current growth",
};

/** What a screen reader hears when a capacity alert opens or clears; a critical one interrupts. */
export function capacityAlertAnnouncement(
  name: string,
  alert: { state: CapacityAlertState; level: CapacityAlertLevel },
): { text: string; assertive: boolean } {
  const volume = name ? `Volume ${name}` : "A volume";
  if (alert.state === "RESOLVED") return { text: `${volume} has room again; its capacity alert is cleared.`, assertive: false };
  return { text: `Capacity alert: ${volume} ${ALERT_WORDS[alert.level]}.`, assertive: alert.level === "CRITICAL" };
}
