import { Field, ID, InputType, Int } from "type-graphql";

@InputType()
export class CreateStorageVolumeInput {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => String, { description: "A DNS-1123 label, unique in the workspace, e.g. backup-vol-1." })
  name!: string;

  @Field(() => Int)
  sizeGiB!: number;

  @Field(() => String, {
    nullable: true,
    description: "Repeating a request with the same key returns the first request's volume instead of creating another.",
  })
  idempotencyKey?: string | null;

  @Field(() => ID, {
    nullable: true,
    description:
      "Place the disk on another Proxmox node than this volume of the workspace (e.g. for a backup's off-node copy); otherwise the emptiest node is chosen.",
  })
  notOnNodeOfVolumeId?: string | null;
}

@InputType()
export class ExpandStorageVolumeInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: "The new total size; larger than the current one." })
  sizeGiB!: number;

  @Field(() => String, { nullable: true })
  idempotencyKey?: string | null;
}
