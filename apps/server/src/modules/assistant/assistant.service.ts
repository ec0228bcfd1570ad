import type { Database } from "../../db/client.js";
import type { ProposalRecord } from "../../db/schema/index.js";
import type { Viewer } from "../../kernel/viewer.js";
import { ErrorCode, invalidInput, DomainError } from "../../kernel/errors.js";
import type { AppPubSub as PubSub } from "../topics.js";
import { CapacityAlertRepository } from "../monitoring/capacity-alert.repository.js";
import type { VolumeService } from "../volumes/volume.service.js";
import type { BackupService } from "../backups/backup.service.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import { describeAgentEvent } from "./activity-words.js";
import { AgentEventRepository } from "./agent-events.repository.js";
import { AssistantRepository, type AssistantMessageRecord } from "./assistant.repository.js";
import { ReadMarkerRepository } from "./read-markers.repository.js";
import { readIntent } from "./reply.js";
import { applyRemedy, readRemedy } from "./remedies.js";
import { answerAboutVolume, WHAT_I_CAN_DO } from "./volume-answers.js";

export interface ReplyInput {
  workspaceId: string;
  /** Free text ("yes", "no", "expand to 750 GiB"); or use `action`. */
  text?: string | null;
  /** The message whose proposal is answered; the newest pending one when not given. */
  messageId?: string | null;
  action?: "ACCEPT" | "DECLINE" | null;
  sizeGiB?: number | null;
  /** With ACCEPT (or a free-text answer such as "move it"): one of the proposal's other fixes instead of the expansion. */
  remedy?: "LOWER_RETENTION" | "MOVE_BACKUP" | null;
}

/** The conversation's rules: who may read it, who may consent, and what consent does. */
export class AssistantService {
  constructor(
    private readonly deps: { db: Database; workspaces: WorkspaceService; volumes: VolumeService; pubsub: PubSub; backups?: BackupService },
  ) {}

  async conversation(viewer: Viewer, workspaceId: string, last: number): Promise<AssistantMessageRecord[]> {
    await this.deps.workspaces.requireMember(viewer, workspaceId);
    return new AssistantRepository(this.deps.db).recent(workspaceId, Math.min(Math.max(last, 1), 500));
  }

  /** The assistant's messages this viewer has not read yet, wherever they read the others. */
  async unreadCount(viewer: Viewer, workspaceId: string): Promise<number> {
    await this.deps.workspaces.requireMember(viewer, workspaceId);
    return new ReadMarkerRepository(this.deps.db, viewer.userId, workspaceId).unreadCount();
  }

  /** Marks the conversation read up to the message (the newest one the viewer has seen); returns what is left unread. */
  async markRead(viewer: Viewer, workspaceId: string, messageId: string): Promise<number> {
    await this.deps.workspaces.requireMember(viewer, workspaceId);
    const markers = new ReadMarkerRepository(this.deps.db, viewer.userId, workspaceId);
    await markers.markReadUpTo(messageId);
    return markers.unreadCount();
  }

  async alerts(viewer: Viewer, workspaceId: string, includeResolved: boolean) {
    await this.deps.workspaces.requireMember(viewer, workspaceId);
    return new CapacityAlertRepository(this.deps.db).forWorkspace(workspaceId, includeResolved);
  }

  async eventLog(viewer: Viewer, workspaceId: string) {
    await this.deps.workspaces.requireAdmin(viewer, workspaceId);
    return (await new AgentEventRepository(this.deps.db).log(workspaceId)).map((e) => ({ ...e, summary: describeAgentEvent(e) }));
  }

  async subscribe(viewer: Viewer, workspaceId: string, topic: "ASSISTANT_MESSAGE_ADDED" | "CAPACITY_ALERT_RAISED") {
    await this.deps.workspaces.requireMember(viewer, workspaceId);
    return this.deps.pubsub.subscribe(topic, workspaceId) as AsyncIterable<unknown>;
  }

  /** An admin's answer: recorded, understood, and acted on as that admin (the same expansion the Storage section uses). */
  async reply(viewer: Viewer, input: ReplyInput): Promise<AssistantMessageRecord[]> {
    const { workspace, role } = await this.deps.workspaces.requireMember(viewer, input.workspaceId);
    const text = input.text?.trim() ?? "";
    if (!text && !input.action) throw invalidInput("text", "Write an answer, or choose one of the assistant's actions.");
    if (text.length > 2000) throw invalidInput("text", "An answer has at most 2000 characters.");
    if (role !== "ADMIN") {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        `Only a Workspace Admin of '${workspace.name}' can answer the assistant's proposals; ask an admin.`,
      );
    }
    const repo = new AssistantRepository(this.deps.db);
    const out: AssistantMessageRecord[] = [];
    const say = async (author: "USER" | "ASSISTANT", body: string) => {
      const message = (await repo.add({
        workspaceId: workspace.id,
        author,
        userId: author === "USER" ? viewer.userId : null,
        answersUserId: author === "ASSISTANT" ? viewer.userId : null,
        text: body,
      }))!;
      this.deps.pubsub.publish("ASSISTANT_MESSAGE_ADDED", workspace.id, message);
      out.push(message);
    };
    const target = input.messageId ? await repo.get(workspace.id, input.messageId) : await repo.latestPending(workspace.id);
    const remedyKind = input.action === "ACCEPT" ? (input.remedy ?? undefined) : input.action ? undefined : readRemedy(text);
    const remedy = remedyKind ? target?.proposal?.remedies?.find((r) => r.kind === remedyKind) : undefined;
    await say(
      "USER",
      text || (remedy ? remedy.label : input.action === "ACCEPT" ? `Expand${input.sizeGiB ? ` to ${input.sizeGiB} GiB` : ""}` : "Dismiss"),
    );

    const intent =
      input.action === "ACCEPT"
        ? { kind: "accept" as const, sizeGiB: input.sizeGiB ?? undefined }
        : input.action === "DECLINE"
          ? { kind: "decline" as const }
          : readIntent(text);
    if (remedyKind && target?.proposal?.state === "PENDING") {
      if (!remedy || !this.deps.backups) {
        await say("ASSISTANT", `That proposal offers no such fix; the fixes it offers are on its buttons.`);
        return out;
      }
      try {
        const done = await applyRemedy(this.deps.backups, viewer, remedy);
        await repo.setProposal(target.id, { ...target.proposal, state: "SUCCEEDED", applied: remedy.kind, resolvedBy: viewer.userId });
        await say("ASSISTANT", done);
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        await say("ASSISTANT", `I could not change the backup '${remedy.backupName}': ${error.message}`);
      }
      return out;
    }
    if (intent.kind === "unknown") {
      // Answer from what the assistant knows (usage, forecast) before falling back to what it can do.
      const answer = await answerAboutVolume(this.deps.db, text, await this.deps.volumes.list(workspace));
      await say("ASSISTANT", answer ?? WHAT_I_CAN_DO);
      return out;
    }
    if (!target?.proposal) {
      await say("ASSISTANT", "There is no proposal waiting for an answer right now.");
      return out;
    }
    const proposal = target.proposal;
    if (proposal.state !== "PENDING") {
      await say(
        "ASSISTANT",
        `That proposal for '${proposal.volumeName}' was already ${describeState(proposal.state)}; there is nothing more to do for it.`,
      );
      return out;
    }
    if (intent.kind === "decline") {
      await repo.setProposal(target.id, { ...proposal, state: "DECLINED", resolvedBy: viewer.userId });
      await say(
        "ASSISTANT",
        `Understood: I will leave '${proposal.volumeName}' at ${proposal.fromSizeGiB} GiB, and tell you again if it fills further.`,
      );
      return out;
    }
    if (proposal.expandable === false) {
      await say("ASSISTANT", `'${proposal.volumeName}' cannot be expanded right now; choose one of the other fixes offered, or dismiss.`);
      return out;
    }
    const sizeGiB = intent.sizeGiB ?? proposal.suggestedSizeGiB;
    try {
      await this.deps.volumes.expand(viewer, { id: proposal.volumeId, sizeGiB, idempotencyKey: `assistant-${target.id}` });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      // The proposal stays open: the admin can answer with another size.
      await say("ASSISTANT", `I could not expand '${proposal.volumeName}' to ${sizeGiB} GiB: ${error.message}`);
      return out;
    }
    await repo.setProposal(target.id, { ...proposal, state: "ACCEPTED", sizeGiB, resolvedBy: viewer.userId } satisfies ProposalRecord);
    await say(
      "ASSISTANT",
      `Expanding '${proposal.volumeName}' from ${proposal.fromSizeGiB} GiB to ${sizeGiB} GiB now; I'll tell you when it is done.`,
    );
    return out;
  }
}

function describeState(state: ProposalRecord["state"]): string {
  return {
    PENDING: "pending",
    ACCEPTED: "accepted",
    DECLINED: "declined",
    STALE: "superseded by newer news",
    SUCCEEDED: "carried out",
    FAILED: "tried and failed",
  }[state];
}
