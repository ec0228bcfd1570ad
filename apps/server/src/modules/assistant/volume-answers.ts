import type { Database } from "../../db/client.js";
import { backupWriters } from "../monitoring/backup-writers.repository.js";
import { CapacityRepository } from "../monitoring/capacity.repository.js";
import { project } from "../monitoring/projection.js";
import type { BackupWriter } from "../monitoring/backup-writers.repository.js";
import { formatBytes, formatPercent, formatWhen } from "./figures.js";
import { runWillNotFit } from "./notice-words.js";
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
  const percent = usage.capacityBytes ? (usage.usedBytes / usage.capacityBytes) * 100 : 0;
  const backups = (await backupWriters(db, [volume.id], new Date())).get(volume.id) ?? [];
  const zone = backups[0]?.timeZone ?? "UTC";
  let forecast = " It is not growing fast enough to forecast when it fills.";
  if (usage.forecastFailure) forecast = ` ${runWillNotFit(usage.forecastFailure, volume.name)}`;
  else if (usage.estimatedFullAt) forecast = ` At the current rate it fills around ${formatWhen(usage.estimatedFullAt, zone)}.`;
  else if (backups.length) forecast = ` ${levelsOff(volume.name, usage, backups)}`;
  return `'${volume.name}' holds ${formatBytes(usage.usedBytes)} of ${formatBytes(usage.capacityBytes)} (${formatPercent(percent)}), measured ${formatWhen(usage.sampledAt, zone)}.${forecast}`;
}

/** "With keep-last 7, 'backup-vol-1' levels off at 41%": where retention balances the runs, once the runs say so. */
function levelsOff(name: string, usage: { usedBytes: number; capacityBytes: number }, backups: BackupWriter[]): string {
  const projection = project({ capacityBytes: usage.capacityBytes, usedBytes: usage.usedBytes, now: new Date(), backups });
  if (!projection.evidence) return "Its backups have not run often enough yet to say how it will fill.";
  if (projection.plateauBytes === undefined || !usage.capacityBytes) return "Its backups will not fill it in the next 30 days.";
  const rules = backups.map((b) => (b.retention.keepLast ? `keep-last ${b.retention.keepLast}` : "")).filter(Boolean);
  const lead = rules.length === backups.length ? `With ${rules.join(" and ")}, '${name}'` : `'${name}'`;
  return `${lead} levels off at ${formatPercent((projection.plateauBytes / usage.capacityBytes) * 100)}.`;
}
