import { Field, ObjectType } from "type-graphql";
import { BackupCopyStatus } from "./off-node-copy.inputs.js";

@ObjectType({ simpleResolvers: true, description: "A successful run's off-node copy." })
export class BackupRunCopy {
  @Field(() => BackupCopyStatus) status!: BackupCopyStatus;
  @Field(() => String, { nullable: true, description: "What the copy did, or why it failed, in a sentence." }) message!: string | null;
  @Field(() => Date, { nullable: true }) startedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: "When the snapshot was in the copy's repository." }) copiedAt!: Date | null;
}
