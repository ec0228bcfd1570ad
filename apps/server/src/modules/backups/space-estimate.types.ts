import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import { BackupFormat, BackupFunctionKind, RetentionInput } from "./backup.inputs.js";

export enum SpaceEstimateBasis {
  HISTORY = "HISTORY",
  SOURCE_SIZE = "SOURCE_SIZE",
  UNKNOWN = "UNKNOWN",
}
registerEnumType(SpaceEstimateBasis, {
  name: "SpaceEstimateBasis",
  description: "HISTORY: the backup's own runs; SOURCE_SIZE: the source claim's usage; UNKNOWN: nothing to go on yet.",
});

@InputType({ description: "A Backup as the create/edit form holds it, before it is saved." })
export class BackupSpaceEstimateInput {
  @Field(() => ID) applicationId!: string;
  @Field(() => ID, { nullable: true, description: "When editing: the Backup, whose runs say what it writes." }) backupId?: string | null;
  @Field(() => String, { nullable: true }) sourcePvcName?: string | null;
  @Field(() => BackupFunctionKind) functionKind!: BackupFunctionKind;
  @Field(() => BackupFormat, { nullable: true, description: "RESTIC when not given." }) format?: BackupFormat | null;
  @Field(() => ID, { nullable: true }) volumeId?: string | null;
  @Field(() => String) schedule!: string;
  @Field(() => String, { defaultValue: "UTC" }) timeZone!: string;
  @Field(() => RetentionInput, { nullable: true }) retention?: RetentionInput | null;
}

@ObjectType({ simpleResolvers: true, description: "Another Backup writing into the same volume, at its steady state." })
export class SharingBackup {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) applicationName!: string;
  @Field(() => Float, { description: "What it holds there now." }) heldBytes!: number;
  @Field(() => Float, { nullable: true, description: "What it will hold once its retention has filled; null before it has run." })
  steadyBytes!: number | null;
}

@ObjectType({
  simpleResolvers: true,
  description:
    "What a Backup will need on its destination at steady state, against the volume's free space and the other Backups sharing it. Sizes are in the units of the Storage table (lab units on the lab).",
})
export class BackupSpaceEstimate {
  @Field(() => SpaceEstimateBasis) basis!: SpaceEstimateBasis;
  @Field(() => Float, { nullable: true, description: "The most this Backup will hold at once, when known." }) neededBytes!: number | null;
  @Field(() => String, { description: 'In words: "~9 GiB with keep-last 7", or why it is not known yet.' }) summary!: string;
  @Field(() => String, { description: "What the figure rests on." }) basisWords!: string;
  @Field(() => String, { nullable: true }) volumeName!: string | null;
  @Field(() => Float, { nullable: true }) capacityBytes!: number | null;
  @Field(() => Float, { nullable: true, description: "Free now, as the Storage table shows it." }) freeBytes!: number | null;
  @Field(() => [SharingBackup]) sharing!: SharingBackup[];
  @Field(() => Float, { nullable: true, description: "Room left for this Backup once the others have levelled off." })
  roomBytes!: number | null;
  @Field(() => String, { nullable: true, description: "The destination in words: free space and what the others will hold." })
  destinationWords!: string | null;
  @Field(() => Boolean, { nullable: true, description: "Whether it fits at steady state; null when either side is unknown." })
  fits!: boolean | null;
  @Field(() => String, { nullable: true, description: "Set when it will not fit: what to do about it." }) warning!: string | null;
  @Field(() => Int) forecastDays!: number;
}
