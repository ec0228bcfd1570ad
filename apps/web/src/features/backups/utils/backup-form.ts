import type {
  BackupFormat,
  BackupFunctionKind,
  Compression,
  ConcurrencyPolicy,
  CreateBackupInput,
  UpdateBackupInput,
} from "../../../gql/graphql";
import { checkInput, validateRepositoryCheck } from "./repository-check";
import { normalizeDestinationPath, validateDestinationPath } from "./destination-path";

/** Longest backup name the server accepts (it keeps the CronJob, Jobs and Pods within Kubernetes' limits). */
export const BACKUP_NAME_MAX_LENGTH = 28;

export const FORMATS: readonly BackupFormat[] = ["RESTIC", "PLAIN"];

export const FORMAT_LABEL: Record<BackupFormat, { label: string; description: string }> = {
  RESTIC: {
    label: "Repository (restic, deduplicated, encrypted)",
    description:
      "Each run stores only what changed, compressed and encrypted with the workspace's repository key. Read it with HKS, or with restic and the exported key.",
  },
  PLAIN: {
    label: "Plain files",
    description: "A tar archive, rsync mirror or dump file per run: readable without any tool, not deduplicated and not encrypted.",
  },
};

export const FUNCTION_KINDS: readonly BackupFunctionKind[] = ["TAR", "RSYNC", "PG_DUMP", "MYSQLDUMP", "CUSTOM"];

export const FUNCTION_LABEL: Record<BackupFunctionKind, string> = {
  TAR: "tar — archive of the claim's files",
  RSYNC: "rsync — mirror of the claim's files",
  PG_DUMP: "pg_dump — PostgreSQL database dump",
  MYSQLDUMP: "mysqldump — MySQL / MariaDB database dump",
  CUSTOM: "Custom — your image and script",
};

export const FUNCTION_SHORT_LABEL: Record<BackupFunctionKind, string> = {
  TAR: "tar",
  RSYNC: "rsync",
  PG_DUMP: "pg_dump",
  MYSQLDUMP: "mysqldump",
  CUSTOM: "custom",
};

export const CONCURRENCY_POLICIES: readonly ConcurrencyPolicy[] = ["FORBID", "ALLOW", "REPLACE"];

export const CONCURRENCY_LABEL: Record<ConcurrencyPolicy, string> = {
  FORBID: "Forbid",
  ALLOW: "Allow",
  REPLACE: "Replace",
};

export const CONCURRENCY_EXPLANATION: Record<ConcurrencyPolicy, string> = {
  FORBID: "If the previous run is still going when the next is due, the next one is skipped.",
  ALLOW: "Runs may overlap: a new run starts even while the previous one is still going.",
  REPLACE: "A run that is still going when the next is due is stopped and replaced by the new one.",
};

export const COMPRESSIONS: readonly Compression[] = ["ZSTD", "GZIP"];

export function isDatabaseFunction(kind: BackupFunctionKind): boolean {
  return kind === "PG_DUMP" || kind === "MYSQLDUMP";
}

export function hasCompression(kind: BackupFunctionKind): boolean {
  return kind === "TAR" || kind === "MYSQLDUMP";
}

export const DEFAULT_DB_PORT: Partial<Record<BackupFunctionKind, string>> = { PG_DUMP: "5432", MYSQLDUMP: "3306" };

export const SCHEDULE_PRESETS: readonly { label: string; schedule: string }[] = [
  { label: "Hourly", schedule: "0 * * * *" },
  { label: "Daily 02:00", schedule: "0 2 * * *" },
  { label: "Weekly Sun 03:00", schedule: "0 3 * * 0" },
];

/** What the form holds: text as typed, so a half-typed number is not lost. */
export interface BackupDraft {
  name: string;
  schedule: string;
  timeZone: string;
  sourcePvcName: string;
  volumeId: string;
  path: string;
  format: BackupFormat;
  kind: BackupFunctionKind;
  compression: Compression;
  dbHost: string;
  dbPort: string;
  dbName: string;
  dbUser: string;
  dbPasswordSecretName: string;
  dbPasswordSecretKey: string;
  image: string;
  script: string;
  keepLast: string;
  keepDaily: string;
  keepWeekly: string;
  keepMonthly: string;
  concurrencyPolicy: ConcurrencyPolicy;
  verifyAfterRun: boolean;
  /** RESTIC: when restic check runs (blank: no scheduled check), and how much data it reads back. */
  checkSchedule: string;
  checkReadDataSubset: string;
}

export const RETENTION_KEYS = ["keepLast", "keepDaily", "keepWeekly", "keepMonthly"] as const;
export type RetentionKey = (typeof RETENTION_KEYS)[number];

export const RETENTION_LABEL: Record<RetentionKey, string> = {
  keepLast: "Keep last",
  keepDaily: "Keep daily",
  keepWeekly: "Keep weekly",
  keepMonthly: "Keep monthly",
};

/** A new backup: daily at 02:00 in the browser's zone, tar + zstd, the last 7 snapshots kept. */
export function defaultBackupDraft(opts: { timeZone: string; sourcePvcName?: string; volumeId?: string; path?: string }): BackupDraft {
  return {
    name: "",
    schedule: "0 2 * * *",
    timeZone: opts.timeZone,
    sourcePvcName: opts.sourcePvcName ?? "",
    volumeId: opts.volumeId ?? "",
    path: opts.path ?? "",
    format: "RESTIC",
    kind: "TAR",
    compression: "ZSTD",
    dbHost: "",
    dbPort: "",
    dbName: "",
    dbUser: "",
    dbPasswordSecretName: "",
    dbPasswordSecretKey: "password",
    image: "",
    script: "",
    keepLast: "7",
    keepDaily: "",
    keepWeekly: "",
    keepMonthly: "",
    concurrencyPolicy: "FORBID",
    verifyAfterRun: false,
    checkSchedule: "",
    checkReadDataSubset: "",
  };
}

/** The parts of a Backup the form edits (as the API returns them). */
export interface BackupLike {
  name: string;
  schedule: string;
  timeZone: string;
  concurrencyPolicy: ConcurrencyPolicy;
  verifyAfterRun: boolean;
  format: BackupFormat;
  source: { pvcName?: string | null };
  destination: { volumeId: string; path: string };
  function: {
    kind: BackupFunctionKind;
    compression?: Compression | null;
    image?: string | null;
    script?: string | null;
    database?: {
      host: string;
      port: number;
      name: string;
      user: string;
      passwordSecretName: string;
      passwordSecretKey: string;
    } | null;
  };
  retention: { keepLast?: number | null; keepDaily?: number | null; keepWeekly?: number | null; keepMonthly?: number | null };
  check?: { schedule: string; readDataSubset?: string | null } | null;
}

const str = (n: number | null | undefined) => (n == null ? "" : String(n));

export function draftFromBackup(b: BackupLike): BackupDraft {
  const db = b.function.database;
  return {
    name: b.name,
    schedule: b.schedule,
    timeZone: b.timeZone,
    sourcePvcName: b.source.pvcName ?? "",
    volumeId: b.destination.volumeId,
    path: b.destination.path,
    format: b.format,
    kind: b.function.kind,
    compression: b.function.compression ?? "ZSTD",
    dbHost: db?.host ?? "",
    dbPort: db ? String(db.port) : "",
    dbName: db?.name ?? "",
    dbUser: db?.user ?? "",
    dbPasswordSecretName: db?.passwordSecretName ?? "",
    dbPasswordSecretKey: db?.passwordSecretKey ?? "password",
    image: b.function.image ?? "",
    script: b.function.script ?? "",
    keepLast: str(b.retention.keepLast),
    keepDaily: str(b.retention.keepDaily),
    keepWeekly: str(b.retention.keepWeekly),
    keepMonthly: str(b.retention.keepMonthly),
    concurrencyPolicy: b.concurrencyPolicy,
    verifyAfterRun: b.verifyAfterRun,
    checkSchedule: b.check?.schedule ?? "",
    checkReadDataSubset: b.check?.readDataSubset ?? "",
  };
}

export function validateBackupName(name: string): string | null {
  if (name.length === 0) return "Give the backup a name, e.g. nightly-db.";
  if (name.length > BACKUP_NAME_MAX_LENGTH) {
    return `Use at most ${BACKUP_NAME_MAX_LENGTH} characters (currently ${name.length}).`;
  }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name)) {
    return "Use lowercase letters, digits and '-', starting and ending with a letter or digit.";
  }
  return null;
}

function parseCount(raw: string, label: string): { ok: true; value: number | null } | { ok: false; error: string } {
  const text = raw.trim();
  if (text === "") return { ok: true, value: null };
  if (!/^\d+$/.test(text)) return { ok: false, error: `${label} is a whole number, or blank for not set.` };
  const n = Number(text);
  if (n < 1) return { ok: false, error: `${label} is at least 1 when set.` };
  if (n > 1000) return { ok: false, error: `${label} is at most 1000.` };
  return { ok: true, value: n };
}

function parsePort(raw: string): number | null {
  const text = raw.trim();
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : null;
}

/**
 * Client-side checks, keyed by the server's field names ("name", "schedule", "source.pvcName",
 * "destination.path", "function.database.host", "retention.keepLast", ...). Empty when the draft can be sent.
 */
export function validateBackupDraft(draft: BackupDraft, opts: { checkName: boolean }): Record<string, string> {
  const errors: Record<string, string> = {};
  if (opts.checkName) {
    const e = validateBackupName(draft.name);
    if (e) errors["name"] = e;
  }
  if (!draft.schedule.trim()) errors["schedule"] = "Give a schedule, e.g. 0 2 * * * (daily at 02:00).";
  if (!draft.timeZone.trim()) errors["timeZone"] = "Choose a time zone.";
  if (!isDatabaseFunction(draft.kind) && !draft.sourcePvcName) {
    errors["source.pvcName"] = "Choose the claim (PVC) to back up.";
  }
  if (!draft.volumeId) errors["destination.volumeId"] = "Choose the Storage Volume to write backups to.";
  const pathError = validateDestinationPath(draft.path);
  if (pathError) errors["destination.path"] = pathError;

  if (isDatabaseFunction(draft.kind)) {
    const need = (key: string, value: string, message: string) => {
      if (!value.trim()) errors[`function.database.${key}`] = message;
    };
    need("host", draft.dbHost, "Give the database host, e.g. shop-db.shop.svc.");
    if (parsePort(draft.dbPort) === null) errors["function.database.port"] = "The port is 1–65535.";
    need("name", draft.dbName, "Give the database name.");
    need("user", draft.dbUser, "Give the user name.");
    need("passwordSecretName", draft.dbPasswordSecretName, "Give the Secret that holds the password.");
    need("passwordSecretKey", draft.dbPasswordSecretKey, "Give the key in the Secret.");
  }
  if (draft.kind === "CUSTOM") {
    if (!draft.image.trim()) errors["function.image"] = "Give the container image of the custom function.";
    if (!draft.script.trim()) errors["function.script"] = "Give the script the custom function runs.";
  }
  for (const key of RETENTION_KEYS) {
    const r = parseCount(draft[key], RETENTION_LABEL[key]);
    if (!r.ok) errors[`retention.${key}`] = r.error;
  }
  if (draft.format === "RESTIC") Object.assign(errors, validateRepositoryCheck(draft.checkSchedule, draft.checkReadDataSubset));
  return errors;
}

/** The fields create and update share, mapped from a valid draft. */
export function backupFieldsFromDraft(draft: BackupDraft) {
  const db = isDatabaseFunction(draft.kind);
  const retentionValue = (key: RetentionKey) => {
    const r = parseCount(draft[key], RETENTION_LABEL[key]);
    return r.ok ? r.value : null;
  };
  return {
    schedule: draft.schedule.trim().replace(/\s+/g, " "),
    timeZone: draft.timeZone.trim(),
    source: { pvcName: db ? null : draft.sourcePvcName },
    destination: { volumeId: draft.volumeId, path: normalizeDestinationPath(draft.path) },
    format: draft.format,
    function: {
      kind: draft.kind,
      compression: draft.format === "PLAIN" && hasCompression(draft.kind) ? draft.compression : null,
      database: db
        ? {
            host: draft.dbHost.trim(),
            port: parsePort(draft.dbPort) ?? 0,
            name: draft.dbName.trim(),
            user: draft.dbUser.trim(),
            passwordSecretName: draft.dbPasswordSecretName.trim(),
            passwordSecretKey: draft.dbPasswordSecretKey.trim(),
          }
        : null,
      image: draft.kind === "CUSTOM" ? draft.image.trim() : null,
      script: draft.kind === "CUSTOM" ? draft.script : null,
    },
    retention: {
      keepLast: retentionValue("keepLast"),
      keepDaily: retentionValue("keepDaily"),
      keepWeekly: retentionValue("keepWeekly"),
      keepMonthly: retentionValue("keepMonthly"),
    },
    concurrencyPolicy: draft.concurrencyPolicy,
    verifyAfterRun: draft.verifyAfterRun,
    check: checkInput(draft.format, draft.checkSchedule, draft.checkReadDataSubset),
  } satisfies Omit<CreateBackupInput, "applicationId" | "name">;
}

export function toCreateBackupInput(draft: BackupDraft, applicationId: string): CreateBackupInput {
  return { applicationId, name: draft.name, ...backupFieldsFromDraft(draft) };
}

/** The name cannot change (the API's update has no name); everything else is sent as shown. */
export function toUpdateBackupInput(draft: BackupDraft, id: string): UpdateBackupInput {
  return { id, ...backupFieldsFromDraft(draft) };
}

/** Every field the form can show a server error next to. */
export const BACKUP_FORM_FIELDS = [
  "name",
  "schedule",
  "timeZone",
  "source.pvcName",
  "destination.volumeId",
  "destination.path",
  "function.kind",
  "function.compression",
  "function.image",
  "function.script",
  "function.database",
  "function.database.host",
  "function.database.port",
  "function.database.name",
  "function.database.user",
  "function.database.passwordSecretName",
  "function.database.passwordSecretKey",
  "retention.keepLast",
  "retention.keepDaily",
  "retention.keepWeekly",
  "retention.keepMonthly",
  "concurrencyPolicy",
  "verifyAfterRun",
  "check.schedule",
  "check.readDataSubset",
] as const;
