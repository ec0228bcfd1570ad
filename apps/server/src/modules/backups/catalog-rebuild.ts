import type { CatalogOutcome } from "../../db/schema/catalog.js";
import type { StorageVolumeRecord } from "../volumes/volume.repository.js";
import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";
import type { RestorePointRepository } from "./restore-point.repository.js";
import { cronJobNameFor } from "./translation.js";

/** One snapshot as the functions' catalog mode reports it (restic's own fields plus the HKS tags read out). */
export interface ScannedSnapshot {
  id: string;
  time: string;
  kind: string | null;
  backupId: string | null;
  runId: string | null;
  applicationId: string | null;
  backupName: string | null;
  totalBytes?: number;
  totalFiles?: number;
}

export interface ScannedRepository {
  /** The repository's folder, relative to the volume's root. */
  path: string;
  snapshots: ScannedSnapshot[];
  error: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The catalog document in a catalog Job's log: the one line that starts with it. */
export function catalogDocument(logs: string): ScannedRepository[] | undefined {
  const line = logs.split("\n").find((l) => l.startsWith('{"repositories":'));
  if (!line) return undefined;
  try {
    return (JSON.parse(line) as { repositories: ScannedRepository[] }).repositories;
  } catch {
    return undefined;
  }
}

const folder = (p: string) => p.replace(/^\/+|\/+$/g, "");

/** What a rescan fills in for a recovered Backup where the snapshots' tags say nothing (a restore needs none of it). */
const PLACEHOLDER = { schedule: "0 0 * * *", timeZone: "UTC", sourcePvcName: null, functionKind: "TAR" } as const;

/**
 * Whether a Backup was recovered by a rescan, so its schedule and function are placeholders: a file backup (TAR) with
 * no source claim is what only rebuildCatalog writes (the API refuses a TAR backup without one).
 */
export function recoveredByRescan(backup: Pick<BackupRecord, "functionKind" | "sourcePvcName">): boolean {
  return backup.functionKind === PLACEHOLDER.functionKind && backup.sourcePvcName === null;
}

/**
 * Makes the catalog of restore points of a volume agree with its repositories: a snapshot without a run row is
 * recorded again (with a deleted Backup recovered from its tags when that row is gone too); a restore point whose
 * snapshot is no longer in a readable repository is marked pruned. Repeating it with the same repositories changes
 * nothing. Runs that finished after the scan started are left alone (their snapshot may be newer than the listing).
 */
export async function rebuildCatalog(input: {
  repo: RestorePointRepository;
  volume: StorageVolumeRecord;
  repositories: ScannedRepository[];
  applicationIds: ReadonlySet<string>;
  scannedAt: Date;
  now: Date;
  toShownBytes: (bytes: number) => number;
}): Promise<CatalogOutcome & { recoveredNames: string[] }> {
  const { repo, volume } = input;
  const known = await repo.knownSnapshots(volume.id);
  const byId = new Map<string, BackupRunRecord>();
  for (const { run } of known) byId.set(run.snapshot!, run);
  const findRun = (id: string) => byId.get(id) ?? known.find(({ run }) => id.startsWith(run.snapshot!))?.run;

  const tagged = input.repositories.flatMap((r) => r.snapshots.map((s) => ({ ...s, path: folder(r.path) })));
  const backupIds = [...new Set(tagged.map((s) => s.backupId).filter((id): id is string => !!id && UUID.test(id)))];
  const backups = new Map((await repo.backupsByIds(backupIds)).map((b) => [b.id, b]));
  const takenJobs = new Set((await repo.runsByJobNames(tagged.map((s) => s.runId ?? "").filter(Boolean))).map((r) => r.jobName));

  const outcome = { recorded: 0, recoveredBackups: 0, pruned: 0, unassigned: 0, recoveredNames: [] as string[] };
  // Oldest first, so a recovered Backup's row dates from its first snapshot.
  for (const snap of [...tagged].sort((a, b) => a.time.localeCompare(b.time))) {
    if (snap.kind !== "backup" || findRun(snap.id)) continue;
    let backup: BackupRecord | undefined = snap.backupId ? backups.get(snap.backupId) : undefined;
    if (!backup) {
      if (!snap.backupId || !UUID.test(snap.backupId) || !snap.applicationId || !input.applicationIds.has(snap.applicationId)) {
        outcome.unassigned++;
        continue;
      }
      const name = snap.backupName && NAME.test(snap.backupName) ? snap.backupName : `recovered-${snap.backupId.slice(0, 8)}`;
      backup = await repo.insertBackup({
        id: snap.backupId,
        applicationId: snap.applicationId,
        name,
        // What the tags do not say is filled with what a restore does not need.
        ...PLACEHOLDER,
        destinationVolumeId: volume.id,
        destinationPath: snap.path,
        format: "RESTIC",
        cronJobName: cronJobNameFor({ name, id: snap.backupId }),
        createdAt: new Date(snap.time),
        deletedAt: input.now,
      });
      backups.set(backup.id, backup);
      outcome.recoveredBackups++;
      outcome.recoveredNames.push(name);
    }
    const time = new Date(snap.time);
    const jobName = snap.runId && !takenJobs.has(snap.runId) ? snap.runId : null;
    if (jobName) takenJobs.add(jobName);
    const run = await repo.insertRun({
      backupId: backup.id,
      kind: "BACKUP",
      trigger: "SCHEDULE",
      status: "SUCCEEDED",
      jobName,
      scheduledAt: time,
      startedAt: time,
      finishedAt: time,
      files: snap.totalFiles ?? null,
      snapshot: snap.id,
      message: `Recorded again by a rescan of '${volume.name}': snapshot ${snap.id.slice(0, 8)} of the restic repository ${snap.path || "/"}.`,
      result: {
        recovered: true,
        format: "restic",
        outcome: "SUCCEEDED",
        snapshot: snap.id,
        files: snap.totalFiles ?? null,
        sourceBytes: snap.totalBytes === undefined ? null : input.toShownBytes(snap.totalBytes),
        repository: snap.path,
      },
    });
    byId.set(run.snapshot!, run);
    outcome.recorded++;
  }

  // Only repositories that could be read, or restic folders that are gone entirely, say a snapshot is gone.
  const unreadable = new Set(input.repositories.filter((r) => r.error).map((r) => folder(r.path)));
  const present = new Set(tagged.map((s) => s.id));
  const gone = known
    .filter(({ run, backup }) => {
      if (run.prunedAt || backup.format !== "RESTIC" || unreadable.has(folder(backup.destinationPath))) return false;
      if (run.status !== "SUCCEEDED" && run.status !== "PARTIALLY_SUCCEEDED") return false;
      if ((run.finishedAt ?? run.createdAt) >= input.scannedAt) return false;
      return ![...present].some((id) => id === run.snapshot || id.startsWith(run.snapshot!));
    })
    .map(({ run }) => run.id);
  await repo.markPruned(gone, input.now);
  outcome.pruned = gone.length;
  return {
    ...outcome,
    repositories: input.repositories.length,
    snapshots: tagged.length,
    unreadable: input.repositories.filter((r) => r.error).map((r) => ({ path: r.path, error: r.error! })),
  };
}

/** The outcome of a rescan in words. */
export function describeRescan(volumeName: string, o: CatalogOutcome & { recoveredNames?: string[] }): string {
  const parts = [
    `Rescanned '${volumeName}': ${o.snapshots ?? 0} snapshot(s) in ${o.repositories ?? 0} restic repositor${o.repositories === 1 ? "y" : "ies"}`,
    o.recorded ? `${o.recorded} missing restore point(s) recorded again` : "no restore point was missing",
  ];
  if (o.recoveredBackups)
    parts.push(
      `${o.recoveredBackups} deleted Backup(s) recovered from the snapshots' tags (${(o.recoveredNames ?? []).map((n) => `'${n}'`).join(", ")})`,
    );
  if (o.pruned) parts.push(`${o.pruned} restore point(s) whose snapshot is no longer in the repository marked as pruned`);
  if (o.unassigned) parts.push(`${o.unassigned} snapshot(s) name no Backup or application HKS knows and were left out`);
  if (o.unreadable?.length) parts.push(`unreadable: ${o.unreadable.map((u) => `${u.path} (${u.error})`).join("; ")}`);
  return `${parts.join("; ")}.`;
}
