/**
 * What the HKS_FORMAT=restic modes add to a result line (BackupResult.details), typed per mode,
 * and the documents they write whole to HKS_OUTPUT_FILE / stdout (snapshots, ls, prune).
 */
import type { BackupResult } from "./result.js";

/** A snapshot as the snapshots and prune documents list it. */
export interface ResticSnapshot {
  id: string;
  shortId: string;
  time: string;
  paths: string[];
  tags: string[];
  /** "backup" for runs, "safety" for the copy an overwrite restore takes first. */
  kind: string | null;
  backupId: string | null;
  runId: string | null;
  /** Restore size of the snapshot (snapshots mode, unless HKS_SNAPSHOT_SIZES=false). */
  totalBytes?: number;
  totalFiles?: number;
}

export interface LsEntry {
  path: string;
  name: string;
  /** file, dir, symlink, ... (restic's node type) */
  type: string;
  size: number;
  mtime: string;
}

/** ls mode's document: one page of a folder's entries (or of the names matching the search below it). */
export interface LsPage {
  path: string;
  search: string | null;
  total: number;
  offset: number;
  limit: number;
  items: LsEntry[];
}

/** prune mode's document (keep is null when no retention rule is set). */
export interface PruneDocument {
  keep: ResticSnapshot[] | null;
  remove: ResticSnapshot[];
}

export type ResticDetails =
  | {
      kind: "backup";
      filesNew: number;
      filesChanged: number;
      filesUnmodified: number;
      /** Bytes restic read from the source. */
      bytesRead: number;
      /** Bytes restic added before compression (BackupResult.bytes is what the repository grew). */
      dataAdded: number;
      repoBytes: number;
      time: string | null;
      tags: string[];
      backupId: string | null;
      runId: string | null;
    }
  | { kind: "restore"; safetySnapshot: string | null }
  | { kind: "prune"; dryRun: boolean; keepCount: number; removeCount: number; keep: string[] }
  | {
      kind: "snapshots";
      count: number;
      snapshots: Array<{ id: string; time: string; kind: string | null; backupId: string | null; runId: string | null }>;
    }
  | { kind: "stats"; storedBytes: number; logicalBytes: number; snapshotCount: number; dedupRatio: number | null }
  | {
      kind: "ls";
      path: string;
      total: number;
      offset: number;
      limit: number;
      count: number;
      items: Array<{ path: string; type: string; size: number }>;
    }
  | { kind: "copy"; copyRepo: string; copyFrom: string | null; copied: number; copySnapshotCount: number }
  | { kind: "serve" }
  | { kind: "verify" }
  | { kind: "dump" };

const n = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);
const s = (v: unknown): string | null => (typeof v === "string" && v ? v : null);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const objects = (v: unknown): Array<Record<string, unknown>> =>
  Array.isArray(v) ? v.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null) : [];

/** The restic figures of a result, or undefined for a plain-format result or one without a mode. */
export function resticDetails(result: BackupResult): ResticDetails | undefined {
  if (result.format !== "restic" || !result.mode) return undefined;
  const d = result.details;
  switch (result.mode) {
    case "backup":
      return {
        kind: "backup",
        filesNew: n(d.filesNew),
        filesChanged: n(d.filesChanged),
        filesUnmodified: n(d.filesUnmodified),
        bytesRead: n(d.bytesRead),
        dataAdded: n(d.dataAdded),
        repoBytes: n(d.repoBytes),
        time: s(d.time),
        tags: strings(d.tags),
        backupId: s(d.backupId),
        runId: s(d.runId),
      };
    case "restore":
      return { kind: "restore", safetySnapshot: s(d.safetySnapshot) };
    case "prune":
      return { kind: "prune", dryRun: d.dryRun === true, keepCount: n(d.keepCount), removeCount: n(d.removeCount), keep: strings(d.keep) };
    case "snapshots":
      return {
        kind: "snapshots",
        count: n(d.count),
        snapshots: objects(d.snapshots).map((x) => ({
          id: s(x.id) ?? "",
          time: s(x.time) ?? "",
          kind: s(x.kind),
          backupId: s(x.backupId),
          runId: s(x.runId),
        })),
      };
    case "stats":
      return {
        kind: "stats",
        storedBytes: n(d.storedBytes),
        logicalBytes: n(d.logicalBytes),
        snapshotCount: n(d.snapshotCount),
        dedupRatio: typeof d.dedupRatio === "number" ? d.dedupRatio : null,
      };
    case "ls":
      return {
        kind: "ls",
        path: s(d.path) ?? "/",
        total: n(d.total),
        offset: n(d.offset),
        limit: n(d.limit),
        count: n(d.count),
        items: objects(d.items).map((x) => ({ path: s(x.path) ?? "", type: s(x.type) ?? "", size: n(x.size) })),
      };
    case "copy":
      return {
        kind: "copy",
        copyRepo: s(d.copyRepo) ?? "",
        copyFrom: s(d.copyFrom),
        copied: n(d.copied),
        copySnapshotCount: n(d.copySnapshotCount),
      };
    case "serve":
      return { kind: "serve" };
    case "verify":
      return { kind: "verify" };
    case "dump":
      return { kind: "dump" };
  }
}
