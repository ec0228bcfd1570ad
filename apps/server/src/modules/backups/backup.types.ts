import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { StorageVolume } from "../volumes/volume.types.js";
import { PageInfo } from "../volumes/volume-page.types.js";
import { BackupFormat, BackupFunctionKind, Compression, ConcurrencyPolicy } from "./backup.inputs.js";

export enum BackupRunKind {
  BACKUP = "BACKUP",
  RESTORE = "RESTORE",
  VERIFY = "VERIFY",
}
registerEnumType(BackupRunKind, { name: "BackupRunKind" });

export enum BackupRunTrigger {
  SCHEDULE = "SCHEDULE",
  MANUAL = "MANUAL",
}
registerEnumType(BackupRunTrigger, { name: "BackupRunTrigger" });

export enum BackupRunStatus {
  SCHEDULED = "SCHEDULED",
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  PARTIALLY_SUCCEEDED = "PARTIALLY_SUCCEEDED",
  FAILED = "FAILED",
  MISSED = "MISSED",
}
registerEnumType(BackupRunStatus, { name: "BackupRunStatus", description: "MISSED: the run should have happened and did not." });

export enum BackupFailureReason {
  QUOTA_EXCEEDED = "QUOTA_EXCEEDED",
  SOURCE_MISSING = "SOURCE_MISSING",
  TIMEOUT = "TIMEOUT",
  UNSCHEDULABLE = "UNSCHEDULABLE",
  KEY_INVALID = "KEY_INVALID",
  CORRUPT = "CORRUPT",
  ERROR = "ERROR",
}
registerEnumType(BackupFailureReason, {
  name: "BackupFailureReason",
  description: "KEY_INVALID: the repository key is missing or does not open the repository. CORRUPT: the repository is damaged.",
});

export enum VerifyState {
  NOT_VERIFIED = "NOT_VERIFIED",
  VERIFYING = "VERIFYING",
  VERIFIED = "VERIFIED",
  FAILED = "FAILED",
}
registerEnumType(VerifyState, { name: "VerifyState" });

@ObjectType({ simpleResolvers: true })
export class DatabaseSource {
  @Field(() => String) host!: string;
  @Field(() => Int) port!: number;
  @Field(() => String) name!: string;
  @Field(() => String) user!: string;
  @Field(() => String) passwordSecretName!: string;
  @Field(() => String) passwordSecretKey!: string;
}

@ObjectType({ simpleResolvers: true })
export class BackupSource {
  @Field(() => String, { nullable: true })
  pvcName!: string | null;
}

@ObjectType({ simpleResolvers: true })
export class BackupDestination {
  @Field(() => ID)
  volumeId!: string;

  @Field(() => String)
  path!: string;

  @Field(() => StorageVolume, { nullable: true })
  volume!: StorageVolume | null;
}

@ObjectType({ simpleResolvers: true })
export class BackupFunction {
  @Field(() => BackupFunctionKind)
  kind!: BackupFunctionKind;

  @Field(() => Compression, { nullable: true })
  compression!: Compression | null;

  @Field(() => String, { nullable: true })
  image!: string | null;

  @Field(() => String, { nullable: true })
  script!: string | null;

  @Field(() => DatabaseSource, { nullable: true })
  database!: DatabaseSource | null;
}

@ObjectType({ simpleResolvers: true })
export class Retention {
  @Field(() => Int, { nullable: true }) keepLast!: number | null;
  @Field(() => Int, { nullable: true }) keepDaily!: number | null;
  @Field(() => Int, { nullable: true }) keepWeekly!: number | null;
  @Field(() => Int, { nullable: true }) keepMonthly!: number | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "One execution of a backup, restore or verification, kept after its Kubernetes Job is gone.",
})
export class BackupRun {
  @Field(() => ID) id!: string;
  @Field(() => ID) backupId!: string;
  @Field(() => BackupRunKind) kind!: BackupRunKind;
  @Field(() => BackupRunTrigger) trigger!: BackupRunTrigger;
  @Field(() => BackupRunStatus) status!: BackupRunStatus;
  @Field(() => BackupFailureReason, { nullable: true }) failureReason!: BackupFailureReason | null;
  @Field(() => String, { nullable: true, description: "What happened, in a sentence (from the function's result)." }) message!:
    string | null;
  @Field(() => String, { nullable: true }) jobName!: string | null;
  @Field(() => Date, { nullable: true }) scheduledAt!: Date | null;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
  @Field(() => Float, { nullable: true }) bytesWritten!: number | null;
  @Field(() => Int, { nullable: true }) files!: number | null;
  @Field(() => String, { nullable: true, description: "The snapshot's name inside the destination folder." }) snapshot!: string | null;
  @Field(() => Date, { nullable: true, description: "When retention removed the snapshot." }) prunedAt!: Date | null;
  @Field(() => VerifyState) verifyState!: VerifyState;
  @Field(() => ID, { nullable: true, description: "For restores and verifications: the backup run acted on." }) sourceRunId!: string | null;
  @Field(() => String, { nullable: true, description: "For restores: namespace/claim restored into." }) restoreTarget!: string | null;
  @Field(() => Date, { description: "When the run was recorded; `runs(before:)` pages on it." }) createdAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: "What restic reported for a backup run into a repository." })
export class ResticRunFigures {
  @Field(() => Float, { description: "Bytes read from the source." }) bytesRead!: number;
  @Field(() => Float, { description: "Bytes the repository grew by, after deduplication and compression." }) bytesAdded!: number;
  @Field(() => Int, { description: "Files not in the previous snapshot." }) filesNew!: number;
  @Field(() => Int, { description: "Files changed since the previous snapshot." }) filesChanged!: number;
  @Field(() => Int, { description: "Files unchanged since the previous snapshot." }) filesUnmodified!: number;
}

@ObjectType({ simpleResolvers: true, description: "A page of an application's backups, by name." })
export class BackupPage {
  @Field(() => [Backup])
  nodes!: Backup[];

  @Field(() => Int, { description: "The application's backups, on every page." })
  totalCount!: number;

  @Field(() => PageInfo)
  pageInfo!: PageInfo;
}

@ObjectType({ simpleResolvers: true })
export class BackupRunPage {
  @Field(() => [BackupRun])
  nodes!: BackupRun[];

  @Field(() => Int)
  totalCount!: number;

  @Field(() => Date, { nullable: true, description: "Pass as `before` for the next page; null on the last page." })
  nextBefore!: Date | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "A scheduled backup of application data (spec 3.2), carried out by a CronJob in the application's namespace.",
})
export class Backup {
  @Field(() => ID) id!: string;
  @Field(() => ID) applicationId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) schedule!: string;
  @Field(() => String) timeZone!: string;
  @Field(() => Boolean) suspended!: boolean;
  @Field(() => ConcurrencyPolicy) concurrencyPolicy!: ConcurrencyPolicy;
  @Field(() => Boolean) verifyAfterRun!: boolean;
  @Field(() => BackupFormat) format!: BackupFormat;
  @Field(() => String) cronJobName!: string;
  @Field(() => String, { nullable: true, description: "Why the CronJob could not be brought in line with this backup, if it could not." })
  reconcileError!: string | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ simpleResolvers: true })
export class SchedulePreview {
  @Field(() => Boolean) valid!: boolean;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => String, { nullable: true, description: "schedule or timeZone" }) field!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [Date]) nextRuns!: Date[];
}
