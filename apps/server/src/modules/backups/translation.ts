import { createHash } from "node:crypto";
import type { V1EnvVar, V1JobSpec, V1Volume, V1VolumeMount } from "@kubernetes/client-node";
import { ENTRYPOINT, EXIT } from "@hks/backup-functions";
import type { BackupFunctionParams, RetentionPolicy } from "../../db/schema/backups.js";
import { MANAGED_BY } from "../../platform/kubernetes/kinds/labels.js";
import { REPOSITORY_KEY_FIELD, REPOSITORY_KEY_SECRET } from "../../platform/kubernetes/kinds/secret.js";

export const BACKUP_ID_LABEL = "backup.hks.io/backup-id";
export const APPLICATION_ID_LABEL = "backup.hks.io/application-id";
export const RUN_KIND_LABEL = "backup.hks.io/run-kind";
export const SOURCE_RUN_ANNOTATION = "backup.hks.io/source-run-id";
export const SPEC_HASH_ANNOTATION = "backup.hks.io/spec-hash";
export const CONTAINER = "backup";

const SOURCE_MOUNT = "/source";
const BACKUP_MOUNT = "/backup";
const RESTORE_MOUNT = "/restore";
// Outside /etc, which an image owns.
const KEY_MOUNT = "/run/secrets/hks-repository-key";

/** What a Backup becomes in Kubernetes; everything the translation needs, already checked. */
export interface BackupSpec {
  id: string;
  applicationId: string;
  name: string;
  namespace: string;
  schedule: string;
  timeZone: string;
  suspended: boolean;
  concurrencyPolicy: "FORBID" | "ALLOW" | "REPLACE";
  sourcePvcName: string | null;
  destinationClaimName: string;
  destinationPath: string;
  /** The Proxmox node holding the destination disk: the pod must run there (ReadWriteOnce, local disk). */
  destinationZone: string | null;
  functionKind: "TAR" | "RSYNC" | "PG_DUMP" | "MYSQLDUMP" | "CUSTOM";
  /** RESTIC: the destination folder is a restic repository opened with the workspace's key Secret. */
  format: "RESTIC" | "PLAIN";
  functionParams: BackupFunctionParams;
  retention: RetentionPolicy;
  verifyAfterRun: boolean;
}

export interface TranslationOptions {
  image: string;
  /** Longest a run may take before Kubernetes stops it, so a stuck run frees the slot. */
  activeDeadlineSeconds: number;
  /** How long a finished Job stays in the cluster; our run history outlives it. */
  ttlSecondsAfterFinished: number;
  startingDeadlineSeconds: number;
}

export const DEFAULT_TRANSLATION: Omit<TranslationOptions, "image"> = {
  activeDeadlineSeconds: 6 * 3600,
  ttlSecondsAfterFinished: 24 * 3600,
  startingDeadlineSeconds: 600,
};

export const cronJobNameFor = (backup: { name: string; id: string }) => `hks-backup-${backup.name}-${backup.id.slice(0, 6)}`;

export function backupLabels(spec: Pick<BackupSpec, "id" | "applicationId">, kind: "backup" | "restore" | "verify" = "backup") {
  return { ...MANAGED_BY, [BACKUP_ID_LABEL]: spec.id, [APPLICATION_ID_LABEL]: spec.applicationId, [RUN_KIND_LABEL]: kind };
}

const env = (name: string, value: string | number | boolean | null | undefined): V1EnvVar[] =>
  value === null || value === undefined ? [] : [{ name, value: String(value) }];

/** The function's parameters, as environment variables only: nothing a user typed is ever part of a shell line. */
function functionEnv(spec: BackupSpec): V1EnvVar[] {
  const p = spec.functionParams;
  const db = p.database;
  const restic = spec.format === "RESTIC";
  return [
    ...env(
      "HKS_FUNCTION",
      restic && (spec.functionKind === "TAR" || spec.functionKind === "RSYNC") ? "files" : spec.functionKind.toLowerCase(),
    ),
    // restic compresses the repository itself.
    ...env(
      "HKS_COMPRESSION",
      !restic && (spec.functionKind === "TAR" || spec.functionKind === "MYSQLDUMP") ? (p.compression ?? "ZSTD").toLowerCase() : null,
    ),
    ...env("HKS_CUSTOM_SCRIPT", spec.functionKind === "CUSTOM" ? p.script : null),
    ...(db
      ? [
          ...env("HKS_DB_HOST", db.host),
          ...env("HKS_DB_PORT", db.port),
          ...env("HKS_DB_NAME", db.name),
          ...env("HKS_DB_USER", db.user),
          {
            name: spec.functionKind === "PG_DUMP" ? "PGPASSWORD" : "MYSQL_PWD",
            valueFrom: { secretKeyRef: { name: db.passwordSecretName, key: db.passwordSecretKey } },
          },
        ]
      : []),
    ...env("HKS_TIMEZONE", spec.timeZone),
    ...formatEnv(spec),
  ];
}

/** restic: the key file, and tags that tie each snapshot to its Backup and to the Job (the run) that wrote it. */
function formatEnv(spec: BackupSpec): V1EnvVar[] {
  if (spec.format !== "RESTIC") return [];
  return [
    ...env("HKS_FORMAT", "restic"),
    ...env("HKS_BACKUP_ID", spec.id),
    { name: "HKS_RUN_ID", valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-name']" } } },
    // Tagged on each snapshot, so a rescan can recover the Backup if the database lost it.
    ...env("HKS_APPLICATION_ID", spec.applicationId || null),
    ...env("HKS_BACKUP_NAME", spec.name || null),
    ...env("RESTIC_PASSWORD_FILE", `${KEY_MOUNT}/${REPOSITORY_KEY_FIELD}`),
  ];
}

const keyVolume = (spec: BackupSpec): V1Volume[] =>
  spec.format === "RESTIC" ? [{ name: "repository-key", secret: { secretName: REPOSITORY_KEY_SECRET } }] : [];
const keyMount = (spec: BackupSpec): V1VolumeMount[] =>
  spec.format === "RESTIC" ? [{ name: "repository-key", mountPath: KEY_MOUNT, readOnly: true }] : [];

/** The backup container's pod; also used by the catalog's Jobs (catalog-translation.ts). */
export function podSpec(
  spec: BackupSpec,
  options: TranslationOptions,
  extra: { env: V1EnvVar[]; volumes: V1Volume[]; mounts: V1VolumeMount[] },
  image?: string,
) {
  return {
    restartPolicy: "Never",
    affinity: spec.destinationZone
      ? {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "topology.kubernetes.io/zone", operator: "In", values: [spec.destinationZone] }] },
              ],
            },
          },
        }
      : undefined,
    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001 },
    volumes: [
      { name: "destination", persistentVolumeClaim: { claimName: spec.destinationClaimName } },
      ...keyVolume(spec),
      ...extra.volumes,
    ],
    containers: [
      {
        name: CONTAINER,
        image: image ?? options.image,
        command: [ENTRYPOINT],
        // Named in env too, so the result lands where this container's terminationMessagePath says, whatever the image's default.
        env: [...functionEnv(spec), ...extra.env, { name: "HKS_TERMINATION_LOG", value: "/dev/termination-log" }],
        volumeMounts: [{ name: "destination", mountPath: BACKUP_MOUNT }, ...keyMount(spec), ...extra.mounts],
        terminationMessagePath: "/dev/termination-log",
        terminationMessagePolicy: "FallbackToLogsOnError",
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "1Gi" } },
      },
    ],
  } as NonNullable<V1JobSpec["template"]["spec"]>;
}

function jobSpec(
  spec: BackupSpec,
  options: TranslationOptions,
  kind: "backup" | "restore" | "verify",
  template: NonNullable<V1JobSpec["template"]["spec"]>,
): V1JobSpec {
  return {
    // One retry for a transient failure; none for outcomes a retry cannot change (full destination, missing source).
    backoffLimit: 1,
    activeDeadlineSeconds: options.activeDeadlineSeconds,
    ttlSecondsAfterFinished: options.ttlSecondsAfterFinished,
    podFailurePolicy: {
      rules: [
        {
          action: "FailJob",
          onExitCodes: {
            containerName: CONTAINER,
            operator: "In",
            values: [EXIT.QUOTA_EXCEEDED, EXIT.SOURCE_MISSING, EXIT.KEY_INVALID, EXIT.CORRUPT],
          },
        },
      ],
    },
    template: { metadata: { labels: backupLabels(spec, kind) }, spec: template },
  };
}

/** The Job every scheduled run of the backup starts from (the CronJob's jobTemplate, and `run now`). */
export function backupJobSpec(spec: BackupSpec, options: TranslationOptions): V1JobSpec {
  const usesSource = spec.sourcePvcName !== null;
  const r = spec.retention;
  return jobSpec(
    spec,
    options,
    "backup",
    podSpec(
      spec,
      options,
      {
        env: [
          ...env("HKS_MODE", "backup"),
          ...env("HKS_SOURCE_DIR", usesSource ? SOURCE_MOUNT : null),
          ...env("HKS_DEST_DIR", `${BACKUP_MOUNT}/${spec.destinationPath}`),
          ...env("HKS_KEEP_LAST", r.keepLast),
          ...env("HKS_KEEP_DAILY", r.keepDaily),
          ...env("HKS_KEEP_WEEKLY", r.keepWeekly),
          ...env("HKS_KEEP_MONTHLY", r.keepMonthly),
          ...env("HKS_VERIFY", spec.verifyAfterRun ? "true" : null),
        ],
        volumes: usesSource ? [{ name: "source", persistentVolumeClaim: { claimName: spec.sourcePvcName!, readOnly: true } }] : [],
        mounts: usesSource ? [{ name: "source", mountPath: SOURCE_MOUNT, readOnly: true }] : [],
      },
      spec.functionKind === "CUSTOM" ? spec.functionParams.image : undefined,
    ),
  );
}

/** What a snapshot gives back when restored whole: the bytes restic read to make it and its files. */
export interface SnapshotSize {
  bytes: number;
  files: number;
}

/** A restore reads the snapshot from the destination volume and writes it into the target claim. */
export function restoreJobSpec(
  spec: BackupSpec,
  options: TranslationOptions,
  restore: { snapshot: string; targetClaim: string; overwrite: boolean; size?: SnapshotSize | null },
): V1JobSpec {
  return jobSpec(
    spec,
    options,
    "restore",
    podSpec(spec, options, {
      env: [
        ...env("HKS_MODE", "restore"),
        ...env("HKS_DEST_DIR", `${BACKUP_MOUNT}/${spec.destinationPath}`),
        ...env("HKS_SNAPSHOT", restore.snapshot),
        ...env("HKS_RESTORE_DIR", RESTORE_MOUNT),
        // named in every restore error, with the size it must reach
        ...env("HKS_RESTORE_CLAIM", restore.targetClaim),
        ...env("HKS_RESTORE_OVERWRITE", restore.overwrite ? "true" : "false"),
        // known from the run that wrote the snapshot: a whole restore into an empty claim then skips listing it
        ...env("HKS_SNAPSHOT_BYTES", restore.size?.bytes ?? null),
        ...env("HKS_SNAPSHOT_FILES", restore.size?.files ?? null),
      ],
      volumes: [{ name: "restore-target", persistentVolumeClaim: { claimName: restore.targetClaim } }],
      mounts: [{ name: "restore-target", mountPath: RESTORE_MOUNT }],
    }),
  );
}

export function verifyJobSpec(spec: BackupSpec, options: TranslationOptions, snapshot: string): V1JobSpec {
  return jobSpec(
    spec,
    options,
    "verify",
    podSpec(spec, options, {
      env: [
        ...env("HKS_MODE", "verify"),
        ...env("HKS_DEST_DIR", `${BACKUP_MOUNT}/${spec.destinationPath}`),
        ...env("HKS_SNAPSHOT", snapshot),
      ],
      volumes: [],
      mounts: [],
    }),
  );
}

/** A stable digest of a manifest, so the reconciler can tell "unchanged" without asking the cluster. */
export function specHash(value: unknown): string {
  return createHash("sha256").update(stableJson(value)).digest("hex").slice(0, 16);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value as object)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
