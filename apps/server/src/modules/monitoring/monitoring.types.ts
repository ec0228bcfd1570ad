import { Field, Float, ID, ObjectType } from "type-graphql";

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

@ObjectType({
  simpleResolvers: true,
  description: "One step of a backup volume's projected usage: a Backup's run, or its retention's prune.",
})
export class ProjectionStep {
  @Field(() => Date) at!: Date;
  @Field(() => String, { description: "RUN (a snapshot written) or PRUNE (snapshots retention removes after it)." }) kind!: "RUN" | "PRUNE";
  @Field(() => ID) backupId!: string;
  @Field(() => String) backupName!: string;
  @Field(() => String, { description: 'Where the step comes from, in words: "nightly backup of shop", "prune (keep-last 7)".' })
  source!: string;
  @Field(() => Float, { description: "Bytes the step adds (a run) or frees (a prune, negative)." }) deltaBytes!: number;
  @Field(() => Float, { description: "The volume's usage right after the step." }) usedBytes!: number;
}

@ObjectType({ simpleResolvers: true, description: "The first projected run whose snapshot will not fit." })
export class ProjectedFailure {
  @Field(() => Date) at!: Date;
  @Field(() => ID) backupId!: string;
  @Field(() => String) backupName!: string;
  @Field(() => Float) neededBytes!: number;
  @Field(() => Float) freeBytes!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: "A backup volume's usage over the next 30 days, as the step curve its Backups' runs and prunes draw.",
})
export class UsageProjection {
  @Field(() => Boolean, { description: "Whether every active Backup has run enough (twice) for its size to be known." })
  evidence!: boolean;
  @Field(() => [ProjectionStep]) steps!: ProjectionStep[];
  @Field(() => ProjectedFailure, { nullable: true }) firstFailure!: ProjectedFailure | null;
  @Field(() => Float, { nullable: true, description: "Where the curve levels off, when retention balances the runs." })
  plateauBytes!: number | null;
}
