import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";

export enum MessageAuthor {
  ASSISTANT = "ASSISTANT",
  USER = "USER",
}
registerEnumType(MessageAuthor, { name: "MessageAuthor" });

export enum ProposalState {
  PENDING = "PENDING",
  ACCEPTED = "ACCEPTED",
  DECLINED = "DECLINED",
  STALE = "STALE",
  SUCCEEDED = "SUCCEEDED",
  FAILED = "FAILED",
}
registerEnumType(ProposalState, { name: "ProposalState" });

export enum ReplyAction {
  ACCEPT = "ACCEPT",
  DECLINE = "DECLINE",
}
registerEnumType(ReplyAction, { name: "ReplyAction" });

export enum CapacityAlertLevel {
  WARNING = "WARNING",
  CRITICAL = "CRITICAL",
  FORECAST = "FORECAST",
}
registerEnumType(CapacityAlertLevel, {
  name: "CapacityAlertLevel",
  description: "WARNING past the workspace's threshold, CRITICAL from 95%, FORECAST when full within a day.",
});

export enum CapacityAlertState {
  OPEN = "OPEN",
  RESOLVED = "RESOLVED",
}
registerEnumType(CapacityAlertState, { name: "CapacityAlertState" });

export enum RemedyKind {
  LOWER_RETENTION = "LOWER_RETENTION",
  MOVE_BACKUP = "MOVE_BACKUP",
}
registerEnumType(RemedyKind, {
  name: "RemedyKind",
  description: "LOWER_RETENTION: keep fewer snapshots of the Backup; MOVE_BACKUP: write it to another volume with room.",
});

@ObjectType({ simpleResolvers: true, description: "Another fix for a run that did not fit, offered instead of the expansion." })
export class ProposalRemedy {
  @Field(() => RemedyKind) kind!: RemedyKind;
  @Field(() => String, { description: 'The button\'s words: "Keep the last 2 (frees 1.2 GiB)".' }) label!: string;
  @Field(() => ID) backupId!: string;
  @Field(() => String) backupName!: string;
  @Field(() => Int, { nullable: true, description: "LOWER_RETENTION: the snapshots to keep." }) keepLast!: number | null;
  @Field(() => Float, { nullable: true, description: "LOWER_RETENTION: what the snapshots no longer kept hold." }) freesBytes!:
    number | null;
  @Field(() => ID, { nullable: true, description: "MOVE_BACKUP: the volume with room." }) toVolumeId!: string | null;
  @Field(() => String, { nullable: true }) toVolumeName!: string | null;
  @Field(() => Float, { nullable: true, description: "MOVE_BACKUP: free on that volume." }) freeBytes!: number | null;
}

@ObjectType({ simpleResolvers: true, description: "An action the assistant offers: expand a volume to a size that can succeed." })
export class ExpansionProposal {
  @Field(() => ID) volumeId!: string;
  @Field(() => String) volumeName!: string;
  @Field(() => Int) fromSizeGiB!: number;
  @Field(() => Int) suggestedSizeGiB!: number;
  @Field(() => ProposalState) state!: ProposalState;
  @Field(() => Int, { nullable: true, description: "The size the admin agreed to." }) sizeGiB!: number | null;
  @Field(() => [ProposalRemedy], { nullable: true, description: "Other fixes for a run that did not fit; answer with `remedy`." })
  remedies!: ProposalRemedy[] | null;
  @Field(() => RemedyKind, { nullable: true, description: "The fix the admin chose, when it was not the expansion." })
  applied!: RemedyKind | null;
  @Field(() => Boolean, { nullable: true, description: "False when the volume cannot be expanded now: only the remedies are offered." })
  expandable!: boolean | null;
}

@ObjectType({ simpleResolvers: true })
export class AssistantMessage {
  @Field(() => ID) id!: string;
  @Field(() => ID) workspaceId!: string;
  @Field(() => MessageAuthor) author!: MessageAuthor;
  @Field(() => String) text!: string;
  @Field(() => ExpansionProposal, { nullable: true }) proposal!: ExpansionProposal | null;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ simpleResolvers: true, description: "A volume running out of room." })
export class CapacityAlert {
  @Field(() => ID) id!: string;
  @Field(() => ID) volumeId!: string;
  @Field(() => CapacityAlertState) state!: CapacityAlertState;
  @Field(() => CapacityAlertLevel) level!: CapacityAlertLevel;
  @Field(() => Int) thresholdPercent!: number;
  @Field(() => Float) percent!: number;
  @Field(() => Float) usedBytes!: number;
  @Field(() => Float) capacityBytes!: number;
  @Field(() => Date, { nullable: true }) estimatedFullAt!: Date | null;
  @Field(() => Date) raisedAt!: Date;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
}

@ObjectType({ simpleResolvers: true, description: "One hand-off between the AIOps agents, for operators." })
export class AgentEventEntry {
  @Field(() => ID) id!: string;
  @Field(() => String) fromAgent!: string;
  @Field(() => String) toAgent!: string;
  @Field(() => String) kind!: string;
  @Field(() => String, { description: "The payload, as JSON." }) payload!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) handledAt!: Date | null;
  @Field(() => String, { nullable: true }) outcome!: string | null;
  @Field(() => String, { description: "What happened and what came of it, in words for the Workspace Admin." }) summary!: string;
}

@InputType()
export class ReplyToAssistantInput {
  @Field(() => ID) workspaceId!: string;
  @Field(() => String, { nullable: true, description: 'Free text: "yes", "no", "expand to 750 GiB".' }) text?: string | null;
  @Field(() => ID, { nullable: true, description: "The message whose proposal this answers; the newest pending one when not given." })
  messageId?: string | null;
  @Field(() => ReplyAction, { nullable: true }) action?: ReplyAction | null;
  @Field(() => Int, { nullable: true, description: "With ACCEPT: a size other than the suggested one." }) sizeGiB?: number | null;
  @Field(() => RemedyKind, { nullable: true, description: "With ACCEPT: apply this remedy of the proposal instead of the expansion." })
  remedy?: RemedyKind | null;
}
