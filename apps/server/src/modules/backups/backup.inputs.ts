import { Field, ID, InputType, Int, registerEnumType } from "type-graphql";
import { RepositoryCheckInput } from "./repository-trust.types.js";
import { COPY_DESTINATION_DESCRIPTION, RestoreSource } from "./off-node-copy.inputs.js";

export enum BackupFunctionKind {
  TAR = "TAR",
  RSYNC = "RSYNC",
  PG_DUMP = "PG_DUMP",
  MYSQLDUMP = "MYSQLDUMP",
  CUSTOM = "CUSTOM",
}
registerEnumType(BackupFunctionKind, { name: "BackupFunctionKind", description: "The backup logic the job's container runs." });

export enum Compression {
  GZIP = "GZIP",
  ZSTD = "ZSTD",
}
registerEnumType(Compression, { name: "Compression" });

export enum BackupFormat {
  RESTIC = "RESTIC",
  PLAIN = "PLAIN",
}
registerEnumType(BackupFormat, {
  name: "BackupFormat",
  description:
    "RESTIC: the destination folder is a restic repository (deduplicated, compressed, encrypted with the workspace's key). PLAIN: tar archives, rsync mirrors or dump files, readable without tools.",
});

export enum ConcurrencyPolicy {
  FORBID = "FORBID",
  ALLOW = "ALLOW",
  REPLACE = "REPLACE",
}
registerEnumType(ConcurrencyPolicy, {
  name: "ConcurrencyPolicy",
  description: "What happens when a run is due while the previous one still runs (FORBID: skip it).",
});

@InputType()
export class BackupSourceInput {
  @Field(() => String, {
    nullable: true,
    description: "The PersistentVolumeClaim to back up, in the application's namespace (not for database functions).",
  })
  pvcName?: string | null;
}

@InputType()
export class BackupDestinationInput {
  @Field(() => ID, { description: "A Storage Volume of the same workspace." })
  volumeId!: string;

  @Field(() => String, { description: "A folder inside the volume, relative (e.g. shop/db); created when missing." })
  path!: string;
}

@InputType()
export class DatabaseSourceInput {
  @Field(() => String)
  host!: string;

  @Field(() => Int)
  port!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  user!: string;

  @Field(() => String, { description: "A Secret in the application's namespace holding the password." })
  passwordSecretName!: string;

  @Field(() => String)
  passwordSecretKey!: string;
}

@InputType()
export class BackupFunctionInput {
  @Field(() => BackupFunctionKind)
  kind!: BackupFunctionKind;

  @Field(() => Compression, { nullable: true, description: "TAR and MYSQLDUMP; ZSTD when not given." })
  compression?: Compression | null;

  @Field(() => String, { nullable: true, description: "CUSTOM: the container image that runs the script." })
  image?: string | null;

  @Field(() => String, { nullable: true, description: "CUSTOM: the bash script; it reads HKS_SOURCE_DIR and writes into HKS_OUTPUT_DIR." })
  script?: string | null;

  @Field(() => DatabaseSourceInput, { nullable: true, description: "PG_DUMP and MYSQLDUMP: the database to dump." })
  database?: DatabaseSourceInput | null;
}

@InputType()
export class RetentionInput {
  @Field(() => Int, { nullable: true })
  keepLast?: number | null;

  @Field(() => Int, { nullable: true })
  keepDaily?: number | null;

  @Field(() => Int, { nullable: true })
  keepWeekly?: number | null;

  @Field(() => Int, { nullable: true })
  keepMonthly?: number | null;
}

@InputType()
export class CreateBackupInput {
  @Field(() => ID)
  applicationId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: "Standard 5-field cron, or a macro Kubernetes accepts (@daily, @hourly, ...)." })
  schedule!: string;

  @Field(() => String, { defaultValue: "UTC", description: "IANA time zone the schedule is read in." })
  timeZone!: string;

  @Field(() => BackupSourceInput)
  source!: BackupSourceInput;

  @Field(() => BackupDestinationInput)
  destination!: BackupDestinationInput;

  @Field(() => BackupFunctionInput)
  function!: BackupFunctionInput;

  @Field(() => BackupFormat, { nullable: true, description: "RESTIC when not given." })
  format?: BackupFormat | null;

  @Field(() => RetentionInput, { nullable: true })
  retention?: RetentionInput | null;

  @Field(() => ConcurrencyPolicy, { defaultValue: ConcurrencyPolicy.FORBID })
  concurrencyPolicy!: ConcurrencyPolicy;

  @Field(() => Boolean, { defaultValue: false })
  suspended!: boolean;

  @Field(() => Boolean, { defaultValue: false, description: "Read every new backup back completely right after it is written." })
  verifyAfterRun!: boolean;

  @Field(() => RepositoryCheckInput, { nullable: true, description: "RESTIC: a scheduled `restic check` of the repository." })
  check?: RepositoryCheckInput | null;
  @Field(() => BackupDestinationInput, { nullable: true, description: COPY_DESTINATION_DESCRIPTION })
  copyDestination?: BackupDestinationInput | null;
}

@InputType()
export class UpdateBackupInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  schedule?: string | null;

  @Field(() => String, { nullable: true })
  timeZone?: string | null;

  @Field(() => BackupSourceInput, { nullable: true })
  source?: BackupSourceInput | null;

  @Field(() => BackupDestinationInput, { nullable: true })
  destination?: BackupDestinationInput | null;

  @Field(() => BackupFunctionInput, { nullable: true })
  function?: BackupFunctionInput | null;

  @Field(() => BackupFormat, { nullable: true, description: "Snapshots already written stay in the folder in their format." })
  format?: BackupFormat | null;

  @Field(() => RetentionInput, { nullable: true })
  retention?: RetentionInput | null;

  @Field(() => ConcurrencyPolicy, { nullable: true })
  concurrencyPolicy?: ConcurrencyPolicy | null;

  @Field(() => Boolean, { nullable: true })
  verifyAfterRun?: boolean | null;

  @Field(() => RepositoryCheckInput, { nullable: true, description: "Replaces the scheduled check; a null schedule turns it off." })
  check?: RepositoryCheckInput | null;
  @Field(() => BackupDestinationInput, { nullable: true, description: `${COPY_DESTINATION_DESCRIPTION} Unchanged when not given.` })
  copyDestination?: BackupDestinationInput | null;

  @Field(() => Boolean, {
    nullable: true,
    description: "Stop copying off-node; the copy's repository stays on its volume (restores from it keep working).",
  })
  removeCopyDestination?: boolean | null;
}

@InputType()
export class RestoreBackupRunInput {
  @Field(() => ID, { description: "A successful backup run whose snapshot is still on the volume." })
  runId!: string;

  @Field(() => String, { description: "The claim to restore into, in the application's namespace." })
  targetPvcName!: string;

  @Field(() => Boolean, { defaultValue: false, description: "Create the target claim (it must not exist yet)." })
  createTarget!: boolean;

  @Field(() => Int, { nullable: true, description: "Size of a new target claim, in GiB." })
  targetSizeGiB?: number | null;

  @Field(() => String, { nullable: true, description: "StorageClass of a new target claim; the namespace default when not given." })
  targetStorageClassName?: string | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description: "Replace what the existing target holds; without it a non-empty target is refused.",
  })
  overwrite!: boolean;

  @Field(() => RestoreSource, {
    defaultValue: RestoreSource.PRIMARY,
    description: "Which repository to read the snapshot from: the backup's destination, or its off-node copy.",
  })
  source!: RestoreSource;
}
