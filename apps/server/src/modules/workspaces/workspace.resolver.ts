import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { WorkspaceWithPlan } from "./workspace.repository.js";
import { WorkspaceService } from "./workspace.service.js";
import { Plan, Workspace, WorkspaceRole } from "./workspace.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ workspaces: WorkspaceService }>;

@Resolver(() => Workspace)
export class WorkspaceResolver {
  @Authorized()
  @Query(() => [Workspace], { description: "The workspaces the viewer belongs to." })
  workspaces(@Ctx() ctx: Context) {
    return ctx.services.workspaces.listForViewer(ctx.viewer!);
  }

  @Authorized()
  @Query(() => Workspace)
  async workspace(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return (await ctx.services.workspaces.requireMember(ctx.viewer!, id)).workspace;
  }

  @Authorized()
  @Mutation(() => Workspace, { description: "Sets how many days of projected need the assistant sizes an expansion for (admins; 7–730)." })
  setWorkspaceForecastDays(@Arg("workspaceId", () => ID) workspaceId: string, @Arg("days", () => Int) days: number, @Ctx() ctx: Context) {
    return ctx.services.workspaces.setForecastDays(ctx.viewer!, workspaceId, days);
  }

  @FieldResolver(() => Plan)
  plan(@Root() workspace: WorkspaceWithPlan): Plan {
    const { plan } = workspace;
    return { ...plan, pricePerGiBMonth: plan.priceCentsPerGiBMonth / 100 };
  }

  @FieldResolver(() => WorkspaceRole)
  viewerRole(@Root() workspace: WorkspaceWithPlan, @Ctx() ctx: Context) {
    return ctx.viewer!.roles.get(workspace.id);
  }

  @FieldResolver(() => Boolean, { description: "Whether the viewer may provision, expand and delete volumes and set quotas here." })
  canManageStorage(@Root() workspace: WorkspaceWithPlan, @Ctx() ctx: Context) {
    return ctx.viewer!.roles.get(workspace.id) === "ADMIN" && workspace.plan.dedicated;
  }

  @FieldResolver(() => String, { nullable: true, description: "Why this workspace cannot provision storage, when it cannot." })
  provisioningBlockedReason(@Root() workspace: WorkspaceWithPlan) {
    return WorkspaceService.provisioningBlockedReason(workspace);
  }
}
