import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

export enum SnapshotListingState {
  INDEXING = "INDEXING",
  READY = "READY",
}
registerEnumType(SnapshotListingState, {
  name: "SnapshotListingState",
  description: "INDEXING: the snapshot is being read for the first time (ask again in a moment). READY: the entries are listed.",
});

@ObjectType({ simpleResolvers: true, description: "A file, folder or link in a backup run's snapshot." })
export class SnapshotEntry {
  @Field(() => String, { description: "Absolute path inside the snapshot, e.g. /data/report.csv." }) path!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: "file, dir, symlink, dev, fifo or socket, as restic names them." }) type!: string;
  @Field(() => Float, {
    description: "The file's own bytes, as a download gives them (on the lab too: not scaled to lab units); 0 for a folder.",
  })
  size!: number;
  @Field(() => Date, { nullable: true, description: "Last modification, as the snapshot recorded it." }) mtime!: Date | null;
}

@ObjectType({
  simpleResolvers: true,
  description: "One page of a folder of a snapshot, or of the entries below it whose name matches a search.",
})
export class SnapshotListing {
  @Field(() => ID) runId!: string;
  @Field(() => String) snapshot!: string;
  @Field(() => SnapshotListingState) state!: SnapshotListingState;
  @Field(() => String, { description: "The folder listed ('/' for the root)." }) path!: string;
  @Field(() => String, { nullable: true }) search!: string | null;
  @Field(() => Int, { description: "Entries in the folder (or matching the search), all pages." }) total!: number;
  @Field(() => Int) offset!: number;
  @Field(() => Int) limit!: number;
  @Field(() => [SnapshotEntry]) entries!: SnapshotEntry[];
  @Field(() => Int, { description: "Entries in the whole snapshot." }) indexedEntries!: number;
  @Field(() => Int, { nullable: true, description: "How long reading the whole snapshot took, once." }) indexDurationMs!: number | null;
}

@ObjectType({ simpleResolvers: true, description: "A single-use link (valid one minute) that downloads one file of a snapshot." })
export class SnapshotDownload {
  @Field(() => String, { description: "Relative to the server: GET it without a token header." }) url!: string;
  @Field(() => String) fileName!: string;
  @Field(() => Float) size!: number;
  @Field(() => Date) expiresAt!: Date;
}

@InputType()
export class RestoreSnapshotPathsInput {
  @Field(() => ID, { description: "A successful backup run of a restic Backup whose snapshot is still kept." })
  runId!: string;

  @Field(() => [String], { description: "Files or folders of the snapshot (absolute paths, as browsed)." })
  paths!: string[];

  @Field(() => String, {
    nullable: true,
    description: "A folder of the claim to restore into (e.g. restored/2026-12-04); not given: each path goes back to its place.",
  })
  into?: string | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description: "Replace what is in the way (a safety snapshot of it is taken first); without it the restore refuses to replace anything.",
  })
  overwrite!: boolean;
}
