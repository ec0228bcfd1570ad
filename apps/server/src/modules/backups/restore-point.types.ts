import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { StorageVolume } from "../volumes/volume.types.js";
import { BackupRun } from "./backup.types.js";

@ObjectType({
  simpleResolvers: true,
  description:
    "A snapshot that can be restored: a successful backup run whose snapshot is still in its repository, also when its Backup was deleted. Restore it with restoreBackupRun(runId: run.id).",
})
export class RestorePoint {
  @Field(() => ID, { description: "The backup run's id." }) id!: string;
  @Field(() => Date, { description: "When the snapshot was written." }) time!: Date;
  @Field(() => ID) backupId!: string;
  @Field(() => String) backupName!: string;
  @Field(() => Boolean, { description: "The Backup was deleted and its restore points kept." }) backupDeleted!: boolean;
  @Field(() => ID) applicationId!: string;
  @Field(() => String, { nullable: true }) applicationName!: string | null;
  @Field(() => ID) volumeId!: string;
  @Field(() => StorageVolume, { nullable: true }) volume!: StorageVolume | null;
  @Field(() => String, { description: "The repository's folder inside the volume." }) folder!: string;
  @Field(() => String) snapshot!: string;
  @Field(() => Float, { nullable: true, description: "Size of the data the snapshot holds, when known." }) totalBytes!: number | null;
  @Field(() => Int, { nullable: true, description: "Files in the snapshot, when known." }) files!: number | null;
  @Field(() => Boolean, { description: "Recorded by a rescan of the repository rather than by the run itself." }) recovered!: boolean;
  @Field(() => Boolean, {
    description:
      "The Backup itself was recovered by a rescan from its snapshots' tags: its schedule and function are placeholders (midnight UTC, TAR), not what it ran with; set them before it backs up again.",
  })
  backupRecovered!: boolean;
  @Field(() => BackupRun) run!: BackupRun;
  @Field(() => BackupRun, {
    nullable: true,
    description:
      "The newest restore started from this restore point, with its status (and message when it failed); live through backupRunChanged.",
  })
  lastRestore!: BackupRun | null;
}

@ObjectType({ simpleResolvers: true })
export class RestorePointPage {
  @Field(() => [RestorePoint]) nodes!: RestorePoint[];
  @Field(() => Int) totalCount!: number;
  @Field(() => String, { nullable: true, description: "Pass as `after` for the next page." }) endCursor!: string | null;
  @Field(() => Boolean) hasNextPage!: boolean;
}

@ObjectType({ simpleResolvers: true, description: "The restore points a volume holds for one Backup." })
export class VolumeRestorePointHolding {
  @Field(() => ID) backupId!: string;
  @Field(() => String) backupName!: string;
  @Field(() => Boolean) deleted!: boolean;
  @Field(() => String, { nullable: true }) applicationName!: string | null;
  @Field(() => Int) count!: number;
  @Field(() => Date) newest!: Date;
}

export enum CatalogJobKind {
  RESCAN = "RESCAN",
  FORGET = "FORGET",
}
registerEnumType(CatalogJobKind, {
  name: "CatalogJobKind",
  description: "RESCAN: rebuild a volume's restore points from its repositories. FORGET: remove a deleted Backup's snapshots.",
});

export enum CatalogJobStatus {
  SCHEDULED = "SCHEDULED",
  RUNNING = "RUNNING",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}
registerEnumType(CatalogJobStatus, { name: "CatalogJobStatus" });

@ObjectType({ simpleResolvers: true })
export class CatalogOutcomeFigures {
  @Field(() => Int, { nullable: true }) repositories!: number | null;
  @Field(() => Int, { nullable: true }) snapshots!: number | null;
  @Field(() => Int, { nullable: true, description: "Restore points recorded again." }) recorded!: number | null;
  @Field(() => Int, { nullable: true, description: "Deleted Backups recovered from snapshot tags." }) recoveredBackups!: number | null;
  @Field(() => Int, { nullable: true, description: "Restore points marked pruned (snapshot gone)." }) pruned!: number | null;
  @Field(() => Int, { nullable: true, description: "Snapshots naming no Backup or application HKS knows." }) unassigned!: number | null;
}

@ObjectType({ simpleResolvers: true, description: "A Job that keeps the catalog of restore points true to the repositories." })
export class CatalogJob {
  @Field(() => ID) id!: string;
  @Field(() => CatalogJobKind) kind!: CatalogJobKind;
  @Field(() => CatalogJobStatus) status!: CatalogJobStatus;
  @Field(() => ID) volumeId!: string;
  @Field(() => ID, { nullable: true }) backupId!: string | null;
  @Field(() => String) jobName!: string;
  @Field(() => String, { nullable: true, description: "The outcome in words." }) message!: string | null;
  @Field(() => CatalogOutcomeFigures, { nullable: true }) outcome!: CatalogOutcomeFigures | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) finishedAt!: Date | null;
}
