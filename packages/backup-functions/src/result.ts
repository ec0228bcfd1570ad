/** The result a backup container leaves: its exit code and one JSON line as termination message. */

export const EXIT = { SUCCEEDED: 0, PARTIAL: 3, QUOTA_EXCEEDED: 28, SOURCE_MISSING: 66, CORRUPT: 65, KEY_INVALID: 77, ERROR: 1 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The Kubernetes termination message limit; the scripts keep the line (with newline) within it. */
export const RESULT_MAX_BYTES = 4096;

/** backup/restore/verify for both formats; the rest only with HKS_FORMAT=restic. */
export const BACKUP_MODES = ["backup", "restore", "verify", "prune", "snapshots", "stats", "ls", "dump", "copy", "serve"] as const;
export type BackupMode = (typeof BACKUP_MODES)[number];
/** tar and rsync are plain formats; files is restic's; the rest work with both. */
export const BACKUP_FUNCTIONS = ["files", "tar", "rsync", "pg_dump", "mysqldump", "custom"] as const;
export const BACKUP_FORMATS = ["plain", "restic"] as const;
export type BackupFormat = (typeof BACKUP_FORMATS)[number];
export type BackupFunction = (typeof BACKUP_FUNCTIONS)[number];
export type BackupOutcome = "SUCCEEDED" | "PARTIALLY_SUCCEEDED" | "FAILED";
/**
 * SOURCE_MISSING also covers a snapshot or path the repository does not hold; CORRUPT a damaged
 * repository; KEY_INVALID a missing key or one that does not open the repository.
 */
export type BackupReason = "QUOTA_EXCEEDED" | "SOURCE_MISSING" | "CORRUPT" | "KEY_INVALID" | "ERROR";

export interface BackupResult {
  /** null when the message did not say (or said something unknown). */
  mode: BackupMode | null;
  function: BackupFunction | null;
  outcome: BackupOutcome;
  /** null unless outcome is FAILED. */
  reason: BackupReason | null;
  /** Snapshot written (backup) or used (restore/verify); null when a backup failed. */
  snapshot: string | null;
  /** Bytes written: snapshot size (rsync: bytes not hard-linked to the previous snapshot; restore: bytes restored). */
  bytes: number;
  /** Files backed up / restored / read back (1 for database dumps). */
  files: number;
  /** Source size (du -sb; database size for dumps; snapshot size for restore/verify). */
  sourceBytes: number;
  /** Free and total bytes of the destination filesystem (restore: the restore target's) at the end of the run. */
  destFreeBytes: number;
  destTotalBytes: number;
  durationMs: number;
  /** true/false when a verification ran, null when none was requested. */
  verified: boolean | null;
  /** Snapshots deleted by retention after this run. */
  pruned: string[];
  /** A sentence a person can act on. */
  message: string;
  /** "plain" for results of scripts that predate the format field. */
  format: BackupFormat;
  /** Every further member of the result line (restic's figures, lists); read with resticDetails(). */
  details: Record<string, unknown>;
  /** The container's exit code, when known. */
  exitCode: number | null;
  /** false when the termination message was missing or garbled and the result was derived from the exit code. */
  fromMessage: boolean;
}

const OUTCOMES: readonly string[] = ["SUCCEEDED", "PARTIALLY_SUCCEEDED", "FAILED"];
const REASONS: readonly string[] = ["QUOTA_EXCEEDED", "SOURCE_MISSING", "CORRUPT", "KEY_INVALID", "ERROR"];
const KNOWN = new Set([
  "mode",
  "function",
  "outcome",
  "reason",
  "snapshot",
  "bytes",
  "files",
  "sourceBytes",
  "destFreeBytes",
  "destTotalBytes",
  "durationMs",
  "verified",
  "pruned",
  "message",
  "format",
]);

/** Outcome and reason implied by an exit code. */
export function classifyExitCode(exitCode: number | undefined | null): { outcome: BackupOutcome; reason: BackupReason | null } {
  switch (exitCode) {
    case EXIT.SUCCEEDED:
      return { outcome: "SUCCEEDED", reason: null };
    case EXIT.PARTIAL:
      return { outcome: "PARTIALLY_SUCCEEDED", reason: null };
    case EXIT.QUOTA_EXCEEDED:
      return { outcome: "FAILED", reason: "QUOTA_EXCEEDED" };
    case EXIT.SOURCE_MISSING:
      return { outcome: "FAILED", reason: "SOURCE_MISSING" };
    case EXIT.CORRUPT:
      return { outcome: "FAILED", reason: "CORRUPT" };
    case EXIT.KEY_INVALID:
      return { outcome: "FAILED", reason: "KEY_INVALID" };
    default:
      return { outcome: "FAILED", reason: "ERROR" };
  }
}

/** The exit code the scripts use for an outcome and reason. */
export function exitCodeFor(outcome: BackupOutcome, reason: BackupReason | null): ExitCode {
  if (outcome === "SUCCEEDED") return EXIT.SUCCEEDED;
  if (outcome === "PARTIALLY_SUCCEEDED") return EXIT.PARTIAL;
  if (reason === "QUOTA_EXCEEDED") return EXIT.QUOTA_EXCEEDED;
  if (reason === "SOURCE_MISSING") return EXIT.SOURCE_MISSING;
  if (reason === "CORRUPT") return EXIT.CORRUPT;
  if (reason === "KEY_INVALID") return EXIT.KEY_INVALID;
  return EXIT.ERROR;
}

function fallbackMessage(exitCode: number | undefined | null): string {
  switch (exitCode) {
    case undefined:
    case null:
      return "The backup container left no result (no exit code and no termination message); see the pod's events and logs.";
    case EXIT.SUCCEEDED:
      return "The backup finished successfully (no details were reported).";
    case EXIT.PARTIAL:
      return "The backup finished but is incomplete (some files changed or could not be read); see the pod logs.";
    case EXIT.QUOTA_EXCEEDED:
      return "The backup destination is full: expand the backup volume or lower retention.";
    case EXIT.SOURCE_MISSING:
      return "The backup source (or the snapshot or path asked for) is missing or not readable: check the source volume, database or snapshot.";
    case EXIT.CORRUPT:
      return "The backup repository is damaged: restore from the off-node copy and have an administrator check the repository.";
    case EXIT.KEY_INVALID:
      return "The backup repository's key is missing or does not open it: mount the workspace's backup key Secret.";
    case 137:
      return "The backup container was killed (SIGKILL, exit 137), usually for running out of memory or past its deadline; nothing from this run can be trusted.";
    case 143:
      return "The backup container was terminated (SIGTERM, exit 143) before it finished.";
    default:
      return `The backup failed with exit code ${exitCode}; see the pod logs.`;
  }
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : 0);

function parseJsonLine(message: string): Record<string, unknown> | undefined {
  // normally exactly one line; be lenient and take the last line that is a JSON object
  const lines = message
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .reverse();
  for (const line of lines) {
    if (!line.startsWith("{")) continue;
    try {
      const v: unknown = JSON.parse(line);
      if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // garbled (e.g. cut off): try the next line
    }
  }
  return undefined;
}

/**
 * Reads a backup container's result from its termination message and exit code
 * (`status.containerStatuses[].state.terminated.{message, exitCode}`). Tolerates a missing or
 * garbled message by classifying the exit code; when both are present and disagree, the exit
 * code decides the outcome and reason (the message's details are kept).
 */
export function parseResult(message: string | undefined, exitCode: number | undefined): BackupResult {
  const code = typeof exitCode === "number" && Number.isInteger(exitCode) ? exitCode : null;
  const json = message ? parseJsonLine(message) : undefined;
  const byCode = classifyExitCode(code);

  if (!json) {
    const trimmed = message?.trim();
    return {
      mode: null,
      function: null,
      outcome: byCode.outcome,
      reason: byCode.reason,
      snapshot: null,
      bytes: 0,
      files: 0,
      sourceBytes: 0,
      destFreeBytes: 0,
      destTotalBytes: 0,
      durationMs: 0,
      verified: null,
      pruned: [],
      message: trimmed ? `${fallbackMessage(code)} Termination message: ${trimmed.slice(0, 500)}` : fallbackMessage(code),
      format: "plain",
      details: {},
      exitCode: code,
      fromMessage: false,
    };
  }

  let outcome: BackupOutcome = OUTCOMES.includes(json.outcome as string) ? (json.outcome as BackupOutcome) : byCode.outcome;
  let reason: BackupReason | null =
    outcome === "FAILED" ? (REASONS.includes(json.reason as string) ? (json.reason as BackupReason) : "ERROR") : null;
  if (code !== null && exitCodeFor(outcome, reason) !== code) {
    outcome = byCode.outcome;
    reason = byCode.reason;
  }
  const text = typeof json.message === "string" && json.message.trim() ? json.message : fallbackMessage(code);
  return {
    mode: (BACKUP_MODES as readonly string[]).includes(json.mode as string) ? (json.mode as BackupMode) : null,
    function: (BACKUP_FUNCTIONS as readonly string[]).includes(json.function as string) ? (json.function as BackupFunction) : null,
    outcome,
    reason,
    snapshot: typeof json.snapshot === "string" && json.snapshot ? json.snapshot : null,
    bytes: num(json.bytes),
    files: num(json.files),
    sourceBytes: num(json.sourceBytes),
    destFreeBytes: num(json.destFreeBytes),
    destTotalBytes: num(json.destTotalBytes),
    durationMs: num(json.durationMs),
    verified: typeof json.verified === "boolean" ? json.verified : null,
    pruned: Array.isArray(json.pruned) ? json.pruned.filter((p): p is string => typeof p === "string") : [],
    message: text,
    format: json.format === "restic" ? "restic" : "plain",
    details: Object.fromEntries(Object.entries(json).filter(([k]) => !KNOWN.has(k))),
    exitCode: code,
    fromMessage: true,
  };
}
