import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { AssistantService } from "./assistant.service.js";
import type { CapacityAlertRecord } from "../monitoring/capacity-alert.repository.js";
import type { AssistantMessageRecord } from "./assistant.repository.js";
import { AgentEventEntry, AssistantMessage, CapacityAlert, ReplyToAssistantInput } from "./assistant.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ assistant: AssistantService }>;

@Resolver(() => AssistantMessage)
export class AssistantResolver {
  @Authorized()
  @Query(() => [AssistantMessage], { description: "The workspace's conversation with the assistant, oldest first." })
  assistantConversation(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("last", () => Int, { defaultValue: 50 }) last: number,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.assistant.conversation(ctx.viewer!, workspaceId, last);
  }

  @Authorized()
  @Query(() => Int, {
    description: "The assistant's messages the viewer has not read yet (its answers to the viewer's own messages never count).",
  })
  assistantUnreadCount(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() ctx: Context) {
    return ctx.services.assistant.unreadCount(ctx.viewer!, workspaceId);
  }

  @Authorized()
  @Mutation(() => Int, { description: "Marks the conversation read up to the message, for the viewer; returns how many stay unread." })
  markAssistantRead(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("messageId", () => ID) messageId: string, @Ctx() ctx: Context) {
    return ctx.services.assistant.markRead(ctx.viewer!, workspaceId, messageId);
  }

  @Authorized()
  @Query(() => [CapacityAlert])
  capacityAlerts(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("includeResolved", () => Boolean, { defaultValue: false }) includeResolved: boolean,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.assistant.alerts(ctx.viewer!, workspaceId, includeResolved);
  }

  @Authorized()
  @Query(() => [AgentEventEntry], { description: "The agents' hand-offs in this workspace, newest first (admins)." })
  async assistantEventLog(@Arg("workspaceId", () => ID) workspaceId: string, @Ctx() ctx: Context): Promise<AgentEventEntry[]> {
    return (await ctx.services.assistant.eventLog(ctx.viewer!, workspaceId)).map((e) => ({ ...e, payload: JSON.stringify(e.payload) }));
  }

  @Authorized()
  @Mutation(() => [AssistantMessage], {
    description: "An answer to the assistant; returns the messages it added (the answer and the reply).",
  })
  replyToAssistant(@Arg("input", () => ReplyToAssistantInput) input: ReplyToAssistantInput, @Ctx() ctx: Context) {
    return ctx.services.assistant.reply(ctx.viewer!, input);
  }

  @Authorized()
  @Subscription(() => AssistantMessage, {
    subscribe: ({ args, context }) =>
      (context as Context).services.assistant.subscribe(
        (context as Context).viewer!,
        (args as { workspaceId: string }).workspaceId,
        "ASSISTANT_MESSAGE_ADDED",
      ),
  })
  assistantMessageAdded(
    @Root() message: AssistantMessageRecord,
    @Arg("workspaceId", () => ID) _workspaceId: string,
  ): AssistantMessageRecord {
    return message;
  }

  @Authorized()
  @Subscription(() => CapacityAlert, {
    description: "Alerts raised, escalated or cleared in the workspace.",
    subscribe: ({ args, context }) =>
      (context as Context).services.assistant.subscribe(
        (context as Context).viewer!,
        (args as { workspaceId: string }).workspaceId,
        "CAPACITY_ALERT_RAISED",
      ),
  })
  capacityAlertRaised(@Root() alert: CapacityAlertRecord, @Arg("workspaceId", () => ID) _workspaceId: string): CapacityAlertRecord {
    return alert;
  }
}
