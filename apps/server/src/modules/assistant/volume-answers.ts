import type { Database } from "../../db/client.js";
import { bytesToGiB } from "../../kernel/units.js";
import { CapacityRepository } from "../monitoring/capacity.repository.js";
import type { StorageVolumeRecord } from "../volumes/volume.repository.js";

/** What the assistant can do, said when a message asks for something else. */
export const WHAT_I_CAN_DO =
  'I can tell you how full a volume is (ask "how full is backup-vol-1?"), and expand one when you say "yes", a size like "expand to 750 GiB", or "no" to leave it as it is.';

/**
 * An answer from the data the assistant has, for a message that names a volume: its size, its last measured
 * usage and the forecast. Undefined when the message names none of the workspace's volumes.
 */
export async function answerAboutVolume(db: Database, text: string, volumes: StorageVolumeRecord[]): Promise<string | undefined> {
  const lower = text.toLowerCase();
  const volume = volumes
    .filter((v) => v.status !== "DELETED" && lower.includes(v.name.toLowerCase()))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!volume) return undefined;
  const [usage] = await new CapacityRepository(db).latest([volume.id], new Date(0));
  if (!usage) return `'${volume.name}' is ${volume.sizeGiB} GiB; its usage has not been measured yet, so I cannot say how full it is.`;
  const percent = usage.capacityBytes ? Math.round((usage.usedBytes / usage.capacityBytes) * 1000) / 10 : 0;
  const forecast = usage.estimatedFullAt
    ? ` At the current rate it fills around ${usage.estimatedFullAt.toISOString().slice(0, 10)}.`
    : " It is not growing fast enough to forecast when it fills.";
  return `'${volume.name}' holds ${bytesToGiB(usage.usedBytes)} GiB of ${volume.sizeGiB} GiB (${percent}%), measured ${usage.sampledAt.toISOString().slice(0, 16).replace("T", " ")} UTC.${forecast}`;
}
