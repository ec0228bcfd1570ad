import type { Database } from "../../db/client.js";
import type { AppPubSub as PubSub } from "../topics.js";
import type { Logger } from "../../logger.js";
import { unobserved, type CycleObserver } from "../../observability/metrics.js";
import { VolumeRepository } from "../volumes/volume.repository.js";
import { fencedBy, type WorkspaceShare } from "../workspaces/workspace-share.js";
import { AgentEventRepository } from "./agent-events.repository.js";
import { AssistantRepository } from "./assistant.repository.js";
import type { Notice } from "./orchestration-agent.js";

/**
 * The UserChatAgent of spec 5: says what the OrchestrationAgent decided in the workspace's conversation,
 * and follows the expansions an admin consented to until they succeed or fail.
 */
export class UserChatAgent {
  constructor(
    private readonly deps: {
      db: Database;
      pubsub: PubSub;
      logger: Logger;
      observeCycle?: CycleObserver;
      /** With several replicas: only the workspaces this replica holds the lease on, each message posted under it. */
      share?: WorkspaceShare;
    },
  ) {}

  cycle(): Promise<number> {
    return (this.deps.observeCycle ?? unobserved)(() => this.handleInbox());
  }

  private async handleInbox(): Promise<number> {
    const events = new AgentEventRepository(this.deps.db);
    const messages = new AssistantRepository(this.deps.db);
    let said = 0;
    const share = this.deps.share;
    for (const event of await events.inbox(
      "USER_CHAT",
      100,
      share?.owned().map((f) => f.workspaceId),
    )) {
      const notice = event.payload as unknown as Notice;
      const added = await this.deps.db.transaction(async (tx) => {
        await fencedBy(share, event.workspaceId, tx);
        if (!(await events.claim(event.id, "posted", tx))) return undefined;
        if (notice.supersedesVolumeId) await messages.staleProposals(notice.supersedesVolumeId, tx);
        return messages.add(
          { workspaceId: event.workspaceId, author: "ASSISTANT", text: notice.text, proposal: notice.proposal, eventId: event.id },
          tx,
        );
      });
      if (added) {
        this.deps.pubsub.publish("ASSISTANT_MESSAGE_ADDED", event.workspaceId, added);
        said++;
      }
    }
    return said + (await this.followExpansions());
  }

  /** Reports the outcome of every accepted expansion once its saga has ended. */
  private async followExpansions(): Promise<number> {
    const messages = new AssistantRepository(this.deps.db);
    let reported = 0;
    const share = this.deps.share;
    for (const message of await messages.withProposalState("ACCEPTED")) {
      if (share && !share.fence(message.workspaceId)) continue;
      const proposal = message.proposal!;
      const volume = await new VolumeRepository(this.deps.db, message.workspaceId).get(proposal.volumeId);
      if (!volume || volume.status === "EXPANDING") continue;
      const succeeded = volume.sizeGiB >= (proposal.sizeGiB ?? proposal.suggestedSizeGiB);
      const text = succeeded
        ? `Done: '${volume.name}' is now ${volume.sizeGiB} GiB. I'll keep watching its usage.`
        : `The expansion of '${volume.name}' did not go through: ${volume.failureReason ?? "no reason was recorded"}`;
      const added = await this.deps.db.transaction(async (tx) => {
        await fencedBy(share, message.workspaceId, tx);
        if (!(await messages.moveProposal(message.id, "ACCEPTED", { ...proposal, state: succeeded ? "SUCCEEDED" : "FAILED" }, tx)))
          return undefined;
        return messages.add({ workspaceId: message.workspaceId, author: "ASSISTANT", text }, tx);
      });
      if (added) this.deps.pubsub.publish("ASSISTANT_MESSAGE_ADDED", message.workspaceId, added);
      reported++;
    }
    return reported;
  }
}
