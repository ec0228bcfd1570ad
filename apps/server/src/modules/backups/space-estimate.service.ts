import type { Database } from "../../db/client.js";
import type { RetentionPolicy } from "@hks/backup-functions";
import type { Viewer } from "../../kernel/viewer.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { MetricsSource } from "../../platform/prometheus/client.js";
import { formatBytes } from "../assistant/figures.js";
import { backupWriters, type BackupWriter } from "../monitoring/backup-writers.repository.js";
import { CapacityRepository } from "../monitoring/capacity.repository.js";
import { claimUsedBytes } from "../monitoring/claim-usage.js";
import { assumedHistory, retentionWords, steadyState, type BackupFormat } from "../monitoring/steady-state.js";
import { VolumeRepository } from "../volumes/volume.repository.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import { BackupLookup } from "./backup-lookup.js";
import { checkSchedule } from "./schedule.js";
import { SpaceEstimateBasis, type BackupSpaceEstimate, type BackupSpaceEstimateInput, type SharingBackup } from "./space-estimate.types.js";

const GiB = 1024 ** 3;
const DATABASE_KINDS = new Set(["PG_DUMP", "MYSQLDUMP"]);

/**
 * The figure the create/edit form puts in front of the admin: what the Backup will hold at steady state, by the
 * projection the agent uses, against the destination's free space and what the other Backups there will hold.
 */
export class SpaceEstimateService {
  private readonly lookup: BackupLookup;

  constructor(private readonly deps: { db: Database; workspaces: WorkspaceService; vclusters: VClusters; metrics?: MetricsSource }) {
    this.lookup = new BackupLookup(deps);
  }

  async estimate(viewer: Viewer, input: BackupSpaceEstimateInput, now = new Date()): Promise<BackupSpaceEstimate> {
    const app = await this.lookup.application(viewer, input.applicationId);
    const { workspace } = await this.deps.workspaces.requireMember(viewer, app.workspaceId);
    const current = input.backupId ? await this.lookup.backup(viewer, input.backupId) : undefined;
    const format: BackupFormat = input.format ?? current?.format ?? "RESTIC";
    const retention = cleanRetention(input.retention ?? {});
    const volume = input.volumeId ? await new VolumeRepository(this.deps.db, workspace.id).get(input.volumeId) : undefined;
    const base = { forecastDays: workspace.forecastDays, sharing: [] as SharingBackup[] };

    // The Backup's own runs (wherever it writes now) and the others writing into the chosen volume, in one query.
    const volumeIds = [...new Set([volume?.id, current?.destinationVolumeId].filter((v): v is string => Boolean(v)))];
    const writers = await backupWriters(this.deps.db, volumeIds, now);
    const all = [...writers.values()].flat();
    const own = current ? all.find((w) => w.id === current.id) : undefined;

    const schedule = checkSchedule(input.schedule, input.timeZone);
    let need: { bytes: number; bounded: boolean } | undefined;
    let basis = SpaceEstimateBasis.UNKNOWN;
    let basisWords: string;
    if (!schedule.ok) {
      basisWords = "Give a valid schedule to see the space this backup will need.";
    } else {
      const shape = { id: current?.id ?? "new", label: "this backup", schedule: schedule.expression, timeZone: input.timeZone, retention };
      const runs = own?.history.length ?? 0;
      const sameFormat = !current || current.format === format;
      if (own && runs >= (format === "RESTIC" ? 2 : 1) && sameFormat) {
        need = steadyState({ ...shape, history: own.history }, format, now, workspace.forecastDays);
        basis = SpaceEstimateBasis.HISTORY;
        basisWords = `From its last ${runs === 1 ? "run" : `${runs} runs`} (what each wrote${format === "RESTIC" ? " after deduplication" : ""}).`;
      } else if (DATABASE_KINDS.has(input.functionKind)) {
        basisWords = "The database's size is unknown before the backup has run: the space it needs shows here after its first runs.";
      } else {
        const pvc = input.sourcePvcName ?? current?.sourcePvcName ?? undefined;
        const sourceBytes = pvc
          ? await claimUsedBytes(this.deps.metrics, { vcluster: workspace.vclusterName, namespace: app.namespace, name: pvc })
          : undefined;
        if (!pvc) basisWords = "Choose the source claim to see the space this backup will need.";
        else if (sourceBytes === undefined)
          basisWords = `The usage of '${pvc}' is not known yet (no monitoring sample): the space this backup needs shows here after its first run.`;
        else {
          need = steadyState({ ...shape, history: assumedHistory(sourceBytes, format, now) }, format, now, workspace.forecastDays);
          basis = SpaceEstimateBasis.SOURCE_SIZE;
          basisWords =
            format === "RESTIC"
              ? `From '${pvc}', which holds ${formatBytes(sourceBytes)}: a full first copy; what later runs add (after deduplication) is known once it has run.`
              : `From '${pvc}', which holds ${formatBytes(sourceBytes)}: each run writes a whole archive (compression may make it smaller).`;
        }
      }
    }
    const summary = need
      ? need.bounded
        ? `~${formatBytes(need.bytes)} with ${retentionWords(retention)}`
        : `~${formatBytes(need.bytes)} after ${workspace.forecastDays} days, and growing: with no retention every snapshot stays`
      : "Not known yet";
    if (!volume) return { ...base, basis, neededBytes: need?.bytes ?? null, summary, basisWords, ...noDestination };

    const [usage] = await new CapacityRepository(this.deps.db).latest([volume.id], new Date(0));
    const others = (writers.get(volume.id) ?? []).filter((w) => w.id !== current?.id);
    const sharing = others.map((w) => this.sharing(w, now, workspace.forecastDays));
    const held = (w: BackupWriter | undefined) => (w?.kept ?? []).reduce((sum, k) => sum + k.bytes, 0);
    const capacityBytes = usage?.capacityBytes ?? volume.sizeGiB * GiB;
    // Before its first sample (nothing mounts a new volume yet) the volume holds only what its backups wrote.
    const freeBytes = usage
      ? usage.capacityBytes - usage.usedBytes
      : Math.max(0, capacityBytes - (writers.get(volume.id) ?? []).reduce((sum, w) => sum + held(w), 0));
    // What the volume holds besides these backups stays; each backup's snapshots give way to its steady state.
    const ownHere = own && current?.destinationVolumeId === volume.id ? held(own) : 0;
    const othersHeld = sharing.reduce((sum, s) => sum + s.heldBytes, 0);
    const othersSteady = sharing.reduce((sum, s) => sum + (s.steadyBytes ?? s.heldBytes), 0);
    const roomBytes = Math.max(0, freeBytes + ownHere + othersHeld - othersSteady);
    const fits = need ? need.bytes <= roomBytes : null;
    const destinationWords = [
      `'${volume.name}' has ${formatBytes(freeBytes)} free of ${formatBytes(capacityBytes)}`,
      sharing.length
        ? `the ${sharing.length === 1 ? "other backup" : `${sharing.length} other backups`} there will hold ~${formatBytes(othersSteady)} at steady state (${formatBytes(othersHeld)} now)`
        : "no other backup writes into it",
    ].join("; ");
    const warning =
      fits === false
        ? `This backup will not fit: it needs ${summary.split(" with")[0]!.split(" after")[0]} at steady state, and '${volume.name}' has room for ${formatBytes(roomBytes)} once the backups there level off. Choose a larger volume, keep fewer snapshots, or expand '${volume.name}' by at least ${formatBytes(need!.bytes - roomBytes)}. You can still save it.`
        : null;
    return {
      ...base,
      basis,
      neededBytes: need?.bytes ?? null,
      summary,
      basisWords,
      volumeName: volume.name,
      capacityBytes,
      freeBytes,
      sharing,
      roomBytes,
      destinationWords,
      fits,
      warning,
    };
  }

  private sharing(w: BackupWriter, now: Date, days: number): SharingBackup {
    const steady = w.suspended ? undefined : steadyState(w, w.format, now, days);
    const heldBytes = w.kept.reduce((sum, k) => sum + k.bytes, 0);
    // A suspended backup keeps what it holds and writes nothing more.
    return {
      id: w.id,
      name: w.name,
      applicationName: w.application,
      heldBytes,
      steadyBytes: w.suspended ? heldBytes : (steady?.bytes ?? null),
    };
  }
}

const noDestination = {
  volumeName: null,
  capacityBytes: null,
  freeBytes: null,
  roomBytes: null,
  destinationWords: null,
  fits: null,
  warning: null,
};

/** The form's retention as the Job applies it: positive whole counts, the rest absent. */
function cleanRetention(r: {
  keepLast?: number | null;
  keepDaily?: number | null;
  keepWeekly?: number | null;
  keepMonthly?: number | null;
}) {
  const ok = (v: number | null | undefined) => (typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined);
  const out: RetentionPolicy = {};
  for (const key of ["keepLast", "keepDaily", "keepWeekly", "keepMonthly"] as const) if (ok(r[key])) out[key] = ok(r[key])!;
  return out;
}
