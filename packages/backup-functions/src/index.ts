import { fileURLToPath } from "node:url";

export {
  EXIT,
  RESULT_MAX_BYTES,
  BACKUP_MODES,
  BACKUP_FUNCTIONS,
  BACKUP_FORMATS,
  parseResult,
  classifyExitCode,
  exitCodeFor,
} from "./result.js";
export type { ExitCode, BackupMode, BackupFunction, BackupFormat, BackupOutcome, BackupReason, BackupResult } from "./result.js";
export { resticDetails } from "./restic-result.js";
export type { ResticDetails, ResticSnapshot, LsEntry, LsPage, PruneDocument } from "./restic-result.js";
export { planPrune, planPruneNames, snapshotTime, snapshotStamp, timeBuckets, SNAPSHOT_NAME_RE } from "./retention.js";
export type { RetentionPolicy, PrunePlan } from "./retention.js";

/** Absolute path of this package's bin/ folder (next to dist/ and src/): the lab runs bin/hks-backup from here. */
export const BIN_DIR: string = fileURLToPath(new URL("../bin", import.meta.url));
/** Where the Dockerfile installs the scripts in the backup image. */
export const IMAGE_BIN_DIR = "/opt/hks/bin";
/** The Job container's command: `command: [ENTRYPOINT]`, parameters only in env. */
export const ENTRYPOINT = "/opt/hks/bin/hks-backup";
/** Default termination message path of a container (HKS_TERMINATION_LOG default). */
export const TERMINATION_LOG = "/dev/termination-log";

/** The environment variables the entry script reads (the exact contract). */
export const ENV = {
  MODE: "HKS_MODE",
  FUNCTION: "HKS_FUNCTION",
  SOURCE_DIR: "HKS_SOURCE_DIR",
  DEST_DIR: "HKS_DEST_DIR",
  COMPRESSION: "HKS_COMPRESSION",
  KEEP_LAST: "HKS_KEEP_LAST",
  KEEP_DAILY: "HKS_KEEP_DAILY",
  KEEP_WEEKLY: "HKS_KEEP_WEEKLY",
  KEEP_MONTHLY: "HKS_KEEP_MONTHLY",
  TIMEZONE: "HKS_TIMEZONE",
  VERIFY: "HKS_VERIFY",
  SNAPSHOT: "HKS_SNAPSHOT",
  RESTORE_DIR: "HKS_RESTORE_DIR",
  RESTORE_OVERWRITE: "HKS_RESTORE_OVERWRITE",
  DB_HOST: "HKS_DB_HOST",
  DB_PORT: "HKS_DB_PORT",
  DB_NAME: "HKS_DB_NAME",
  DB_USER: "HKS_DB_USER",
  PG_PASSWORD: "PGPASSWORD",
  MYSQL_PASSWORD: "MYSQL_PWD",
  CUSTOM_SCRIPT: "HKS_CUSTOM_SCRIPT",
  TERMINATION_LOG: "HKS_TERMINATION_LOG",
  NOW: "HKS_NOW",
  SIZE_ESTIMATE_FACTOR: "HKS_SIZE_ESTIMATE_FACTOR",
  // HKS_FORMAT=restic (see README "restic repositories")
  FORMAT: "HKS_FORMAT",
  RESTIC_PASSWORD_FILE: "RESTIC_PASSWORD_FILE",
  RESTIC_PASSWORD: "RESTIC_PASSWORD",
  BACKUP_ID: "HKS_BACKUP_ID",
  RUN_ID: "HKS_RUN_ID",
  TAGS: "HKS_TAGS",
  READ_DATA_SUBSET: "HKS_READ_DATA_SUBSET",
  DRY_RUN: "HKS_DRY_RUN",
  PATH: "HKS_PATH",
  SEARCH: "HKS_SEARCH",
  OFFSET: "HKS_OFFSET",
  LIMIT: "HKS_LIMIT",
  INCLUDE: "HKS_INCLUDE",
  RESTORE_INTO: "HKS_RESTORE_INTO",
  RESTORE_CLAIM: "HKS_RESTORE_CLAIM",
  OUTPUT_FILE: "HKS_OUTPUT_FILE",
  SNAPSHOT_SIZES: "HKS_SNAPSHOT_SIZES",
  COPY_REPO: "HKS_COPY_REPO",
  COPY_PASSWORD_FILE: "HKS_COPY_PASSWORD_FILE",
  CUSTOM_OUTPUT: "HKS_CUSTOM_OUTPUT",
  STDIN_FILENAME: "HKS_STDIN_FILENAME",
  RESTIC_COMPRESSION: "HKS_RESTIC_COMPRESSION",
  // catalog / forget-backup modes and the tags a rescan reads back
  APPLICATION_ID: "HKS_APPLICATION_ID",
  BACKUP_NAME: "HKS_BACKUP_NAME",
  KNOWN_SNAPSHOTS: "HKS_KNOWN_SNAPSHOTS",
  CATALOG_DEPTH: "HKS_CATALOG_DEPTH",
} as const;

/** The snapshot name suffix a function writes ("" = a folder). */
export function snapshotSuffix(
  fn: "tar" | "rsync" | "pg_dump" | "mysqldump" | "custom" | "files",
  compression: "zstd" | "gzip" = "zstd",
): string {
  const z = compression === "gzip" ? "gz" : "zst";
  switch (fn) {
    case "tar":
      return `.tar.${z}`;
    case "mysqldump":
      return `.sql.${z}`;
    case "pg_dump":
      return ".pgdump";
    default:
      return "";
  }
}
