import { Field, Float, ID, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true, description: "An application of the workspace, living in one namespace of its vCluster." })
export class Application {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String)
  namespace!: string;
}

@ObjectType({ simpleResolvers: true, description: "A PersistentVolumeClaim of the application's namespace." })
export class ApplicationClaim {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  storageClassName!: string | null;

  @Field(() => Float, { nullable: true })
  capacityGiB!: number | null;

  @Field(() => String, { nullable: true })
  phase!: string | null;

  @Field(() => Boolean, { description: "Whether a live backup of the application reads from this claim." })
  coveredByBackup!: boolean;

  @Field(() => String, { nullable: true, description: "For a claim a restore created: the name of the backup it was restored from." })
  restoredFrom!: string | null;

  @Field(() => Boolean, { description: "Whether an admin chose to leave this claim without a backup (no longer flagged)." })
  dismissed!: boolean;

  @Field(() => Boolean, {
    description: "Whether the claim mounts a Storage Volume of the workspace (a backup destination, not data to back up).",
  })
  isStorageVolume!: boolean;
}
