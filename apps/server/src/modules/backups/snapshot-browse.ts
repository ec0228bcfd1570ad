import { createHash, randomBytes } from "node:crypto";
import type { Database } from "../../db/client.js";
import { snapshotDownloads } from "../../db/schema/snapshot-entries.js";
import { conflict, DomainError, ErrorCode, invalidInput } from "../../kernel/errors.js";
import type { Viewer } from "../../kernel/viewer.js";
import type { Logger } from "../../logger.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import { ApplicationRepository } from "../applications/application.repository.js";
import type { AppPubSub as PubSub } from "../topics.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import type { BackupReconciler } from "./backup-reconciler.js";
import { BackupJobs } from "./backup-jobs.js";
import { BackupLookup } from "./backup-lookup.js";
import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";
import { destinationClaim, destinationVolume, toBackupSpec } from "./backup-spec.js";
import { SnapshotIndex, type SnapshotIndexRecord } from "./snapshot-index.js";
import { snapshotRestoreJobSpec } from "./snapshot-restore.js";
import type { TranslationOptions } from "./translation.js";

export interface SnapshotBrowseDeps {
  db: Database;
  workspaces: WorkspaceService;
  vclusters: VClusters;
  pubsub: PubSub;
  translation: TranslationOptions;
  reconciler: Pick<BackupReconciler, "ensureKey">;
  logger: Logger;
}

/** How long a look waits for a first listing before answering "still reading" (the dashboard then asks again). */
const FIRST_LOOK_WAIT_MS = 20_000;
const NEED_WAIT_MS = 120_000;
const DOWNLOAD_TOKEN_TTL_MS = 60_000;
export const DOWNLOAD_PATH = "/api/snapshot-downloads";

/** File-level restore: browse a backup run's snapshot, restore chosen paths into the claim, download one file. */
export class SnapshotBrowseService {
  readonly index: SnapshotIndex;
  private readonly lookup: BackupLookup;
  private readonly jobs: BackupJobs;

  constructor(private readonly deps: SnapshotBrowseDeps) {
    this.lookup = new BackupLookup(deps);
    this.jobs = new BackupJobs(deps, this.lookup);
    this.index = new SnapshotIndex(deps);
  }

  async browse(viewer: Viewer, input: { runId: string; path?: string | null; search?: string | null; offset?: number; limit?: number }) {
    const { run, snapshot, ready } = await this.readyIndex(viewer, input.runId);
    const folder = folderPath(input.path ?? "/");
    const search = (input.search ?? "").trim() || null;
    if (search && search.length > 200) throw invalidInput("search", "Search for at most 200 characters of a name.");
    const offset = input.offset ?? 0;
    const limit = input.limit ?? 50;
    if (!Number.isInteger(offset) || offset < 0) throw invalidInput("offset", "The offset is a whole number, 0 or more.");
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw invalidInput("limit", "Ask for 1 to 500 entries at a time.");
    const base = { runId: run.id, snapshot, path: folder, search, offset, limit };
    if (!ready) return { ...base, state: "INDEXING" as const, total: 0, entries: [], indexedEntries: 0, indexDurationMs: null };
    if (folder !== "/") {
      const entry = await this.index.entry(run.id, folder);
      if (!entry || entry.type !== "dir")
        throw invalidInput(
          "path",
          `Snapshot ${snapshot.slice(0, 8)} holds no folder ${folder}; go back to its root and pick a folder it holds.`,
        );
    }
    const page = await this.index.page(run.id, folder, search, offset, limit);
    return { ...base, state: "READY" as const, ...page, indexedEntries: ready.entryCount, indexDurationMs: ready.durationMs };
  }

  /** Chosen files or folders back into the backup's own claim: to their place (overwrite asked for) or into a folder. */
  async restore(
    viewer: Viewer,
    input: { runId: string; paths: string[]; into?: string | null; overwrite?: boolean },
  ): Promise<BackupRunRecord> {
    const run = await this.lookup.run(viewer, input.runId);
    const backup = await this.backupOf(run);
    const scope = await this.lookup.adminScope(viewer, await this.lookup.application(viewer, backup.applicationId));
    const snapshot = await this.kept(backup, run);
    if (!backup.sourcePvcName)
      throw invalidInput("runId", `'${backup.name}' backs up a database dump, not a claim's files: restore the whole run instead.`);
    const paths = [...new Set(input.paths.map((p) => entryPath(p, "paths")))];
    if (!paths.length) throw invalidInput("paths", "Choose at least one file or folder to restore.");
    if (paths.length > 100) throw invalidInput("paths", "Choose at most 100 files or folders; restore their common folder instead.");
    const into = input.into?.trim() ? claimFolder(input.into) : null;
    const overwrite = input.overwrite ?? false;
    if (overwrite && (await scope.repo.activeRuns(backup.id)).length)
      throw conflict(
        `A run of '${backup.name}' is in progress; an overwrite restore would race it on the claim. Wait for it to finish, or restore into a folder.`,
      );
    await this.ensureIndex(scope.client, backup, run, snapshot, "need");
    for (const path of paths) {
      if (!(await this.index.entry(run.id, path)))
        throw invalidInput(
          "paths",
          `Snapshot ${snapshot.slice(0, 8)} holds no ${path}; browse the snapshot and choose paths it holds. Nothing was started.`,
        );
    }
    const spec = await this.jobs.spec(scope, backup);
    const claim = backup.sourcePvcName;
    const jobSpec = snapshotRestoreJobSpec(spec, this.deps.translation, { snapshot, claim, paths, into, overwrite });
    const shown = paths.length === 1 ? paths[0] : `${paths[0]} and ${paths.length - 1} more`;
    return this.jobs.startJob(scope, backup, {
      kind: "RESTORE",
      jobSpec,
      sourceRun: run,
      snapshot,
      restoreTarget: `${scope.app.namespace}/${claim}${into ? `/${into}` : ""}: ${shown}${overwrite ? " (overwrite)" : ""}`,
    });
  }

  /** A single-use link, valid a minute, that streams one file of the snapshot. */
  async createDownload(viewer: Viewer, input: { runId: string; path: string }) {
    const run = await this.lookup.run(viewer, input.runId);
    const backup = await this.backupOf(run);
    const scope = await this.lookup.adminScope(viewer, await this.lookup.application(viewer, backup.applicationId));
    const snapshot = await this.kept(backup, run);
    const path = entryPath(input.path, "path");
    await this.ensureIndex(scope.client, backup, run, snapshot, "need");
    const entry = await this.index.entry(run.id, path);
    if (!entry)
      throw invalidInput("path", `Snapshot ${snapshot.slice(0, 8)} holds no ${path}; browse the snapshot and pick a file it holds.`);
    if (entry.type === "dir")
      throw invalidInput("path", `${path} is a folder: restore it instead (into a folder of the claim), or download its files one by one.`);
    if (entry.type !== "file") throw invalidInput("path", `${path} is a ${entry.type}, not a file: restore it instead.`);
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(Date.now() + DOWNLOAD_TOKEN_TTL_MS);
    await this.deps.db.insert(snapshotDownloads).values({
      tokenHash: hashToken(token),
      workspaceId: run.workspaceId,
      runId: run.id,
      path,
      size: entry.size,
      userId: viewer.userId,
      expiresAt,
    });
    return { url: `${DOWNLOAD_PATH}/${token}`, fileName: entry.name, size: entry.size, expiresAt };
  }

  /** What the download route needs for a run: its backup's spec, its vCluster, after the same checks as a look. */
  async downloadTarget(workspaceId: string, runId: string) {
    const run = await this.lookup.repo(workspaceId).run(runId);
    if (!run) throw new DomainError(ErrorCode.NOT_FOUND, "The backup run of this download was deleted.");
    const backup = await this.backupOf(run);
    const snapshot = await this.kept(backup, run);
    const { client, spec } = await this.target(backup);
    return { snapshot, client, spec: await spec() };
  }

  private async readyIndex(viewer: Viewer, runId: string) {
    const run = await this.lookup.run(viewer, runId);
    const backup = await this.backupOf(run);
    const snapshot = await this.kept(backup, run);
    const { client } = await this.target(backup);
    const row = await this.ensureIndex(client, backup, run, snapshot, "look");
    return { run, snapshot, ready: row.state === "READY" ? row : undefined };
  }

  private async ensureIndex(
    client: Awaited<ReturnType<SnapshotBrowseService["target"]>>["client"],
    backup: BackupRecord,
    run: BackupRunRecord,
    snapshot: string,
    /** look: answer "still reading" after a while; need: the listing is required to go on. */
    purpose: "look" | "need",
  ): Promise<SnapshotIndexRecord> {
    const row = await this.index.ensure(
      { id: run.id, workspaceId: run.workspaceId, snapshot },
      { client, spec: async () => (await this.target(backup)).spec() },
      purpose === "look" ? FIRST_LOOK_WAIT_MS : NEED_WAIT_MS,
    );
    if (row.state === "FAILED") throw new DomainError(ErrorCode.PLATFORM_UNAVAILABLE, row.message ?? "The snapshot could not be read.");
    if (row.state !== "READY" && purpose === "need")
      throw new DomainError(ErrorCode.PLATFORM_UNAVAILABLE, "The snapshot is still being read; try again in a minute.");
    return row;
  }

  private async target(backup: BackupRecord) {
    const workspace = await this.deps.workspaces.cachedWorkspace(backup.workspaceId);
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    const app = await new ApplicationRepository(this.deps.db, backup.workspaceId).get(backup.applicationId);
    if (!app) throw new DomainError(ErrorCode.NOT_FOUND, "The application of this backup was deleted.");
    const spec = async () => {
      // The task opens the repository with the workspace's key Secret: make sure it is in the namespace.
      await this.deps.reconciler.ensureKey(workspace, client, app.namespace);
      const volume = await destinationVolume(this.deps.db, workspace.id, backup.destinationVolumeId);
      return toBackupSpec(backup, app, volume, await destinationClaim(client, volume, app.namespace));
    };
    return { client, spec };
  }

  /** The run's snapshot; a pruned one's listing goes too, as nothing can be restored from it any more. */
  private async kept(backup: BackupRecord, run: BackupRunRecord): Promise<string> {
    if (run.prunedAt) await this.index.forget(run.id);
    return browsableSnapshot(backup, run);
  }

  private async backupOf(run: BackupRunRecord): Promise<BackupRecord> {
    return (await this.lookup.repo(run.workspaceId).get(run.backupId, { includeDeleted: true }))!;
  }
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/** Only a kept restic snapshot of a successful backup run can be browsed. */
export function browsableSnapshot(backup: BackupRecord, run: BackupRunRecord): string {
  if (backup.format !== "RESTIC")
    throw invalidInput(
      "runId",
      `'${backup.name}' writes plain files (tar archives or rsync mirrors), which cannot be browsed here: restore the whole run into a new claim and pick the files there, or switch the Backup to the restic format for its next runs.`,
    );
  if (run.kind !== "BACKUP" || (run.status !== "SUCCEEDED" && run.status !== "PARTIALLY_SUCCEEDED") || !run.snapshot)
    throw invalidInput("runId", "Only a successful backup run has a snapshot to browse; pick one whose status is Succeeded.");
  if (run.prunedAt)
    throw invalidInput(
      "runId",
      `The snapshot ${run.snapshot.slice(0, 8)} of this run was removed by retention on ${run.prunedAt.toISOString()}; pick a newer run.`,
    );
  return run.snapshot;
}

/** An absolute path inside the snapshot, as restic names it: no '..', no trailing slash, no control characters. */
function entryPath(raw: string, field: string): string {
  const path = raw.trim().replace(/\/+$/, "");
  // eslint-disable-next-line no-control-regex
  if (!path.startsWith("/") || /(^|\/)\.\.?(\/|$)/.test(path) || /[\u0000-\u001f]/.test(path) || path.includes("//"))
    throw invalidInput(field, `'${raw}' is not a path inside the snapshot: give an absolute path such as /data/report.csv.`);
  return path;
}

function folderPath(raw: string): string {
  return raw.trim() === "/" || raw.trim() === "" ? "/" : entryPath(raw, "path");
}

/** A folder of the claim, relative to its root (the functions refuse anything else too; this says it first). */
function claimFolder(raw: string): string {
  const folder = raw.trim().replace(/^\/+|\/+$/g, "");
  // eslint-disable-next-line no-control-regex
  if (!folder || /(^|\/)\.\.?(\/|$)/.test(folder) || /[\u0000-\u001f]/.test(folder) || folder.includes("//") || folder.length > 200)
    throw invalidInput("into", `'${raw}' is not a folder of the claim: give a relative folder such as restored/2026-12-04.`);
  return folder;
}
