import { Field, Float, InputType, Int, ObjectType } from "type-graphql";

@InputType({ description: "A scheduled `restic check` of a RESTIC backup's repository, on a CronJob of its own." })
export class RepositoryCheckInput {
  @Field(() => String, {
    nullable: true,
    description: "Cron (5 fields or a macro) in the backup's time zone, e.g. `0 4 * * 0` for Sundays at 04:00; null turns the check off.",
  })
  schedule?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "How much of the stored data each check reads back: a percentage (10%), a part (1/7) or a size (500M); null reads none.",
  })
  readDataSubset?: string | null;
}

@ObjectType({ simpleResolvers: true, description: "The scheduled check of a backup's repository; its runs are VERIFY runs." })
export class RepositoryCheck {
  @Field(() => String) schedule!: string;
  @Field(() => String, { nullable: true }) readDataSubset!: string | null;
  @Field(() => String, { description: "The check in words, e.g. 'At 04:00, only on Sunday (UTC), reading back 10% of the data'." })
  description!: string;
  @Field(() => Date, { nullable: true }) nextRunAt!: Date | null;
  @Field(() => String) cronJobName!: string;
}

@ObjectType({
  simpleResolvers: true,
  description: "The repository's stored size against the logical size of the snapshots it keeps, as restic measured them.",
})
export class RepositoryFigures {
  @Field(() => Float, { description: "Bytes the repository holds (after deduplication and compression), measured by the last backup run." })
  storedBytes!: number;
  @Field(() => Float, { description: "What the kept snapshots hold, restored: the sum of each one's size as restic read it." })
  logicalBytes!: number;
  @Field(() => Float, { nullable: true, description: "logicalBytes / storedBytes, e.g. 8.6." }) dedupRatio!: number | null;
  @Field(() => Int) snapshotCount!: number;
  @Field(() => Date) measuredAt!: Date;
}
