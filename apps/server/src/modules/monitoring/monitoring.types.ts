import { Field, Float, ObjectType } from "type-graphql";

@ObjectType({ simpleResolvers: true, description: "How full a volume is, as its kubelet reports it (while a claim mounts it)." })
export class VolumeUsage {
  @Field(() => Float) usedBytes!: number;
  @Field(() => Float) capacityBytes!: number;
  @Field(() => Float, { description: "Used share of the capacity, 0–100, one decimal." }) percent!: number;
  @Field(() => Date) sampledAt!: Date;
  @Field(() => Date, {
    nullable: true,
    description: "When the volume fills up at its growth over the last 6 hours; null when it is not growing.",
  })
  estimatedFullAt!: Date | null;
}

@ObjectType({ simpleResolvers: true })
export class UsageSample {
  @Field(() => Date) at!: Date;
  @Field(() => Float) usedBytes!: number;
  @Field(() => Float) capacityBytes!: number;
}
