import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { ApplicationService } from "./application.service.js";
import type { BackupService } from "../backups/backup.service.js";
import { Backup } from "../backups/backup.types.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import { Workspace } from "../workspaces/workspace.types.js";
import type { ApplicationRecord } from "./application.repository.js";
import { Application, ApplicationClaim } from "./application.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ applications: ApplicationService; backups: BackupService }>;

@Resolver(() => Application)
export class ApplicationResolver {
  @Authorized()
  @Query(() => Application)
  application(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.backups.application(ctx.viewer!, id);
  }

  @Authorized()
  @Mutation(() => Application, { description: "Stops flagging a claim of the application that has no backup (an admin's choice)." })
  async dismissUncoveredClaim(
    @Arg("applicationId", () => ID) applicationId: string,
    @Arg("claimName", () => String) claimName: string,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.applications.dismissClaim(
      ctx.viewer!,
      await ctx.services.backups.application(ctx.viewer!, applicationId),
      claimName,
    );
  }

  @FieldResolver(() => [Backup])
  backups(@Root() app: ApplicationRecord, @Ctx() ctx: Context) {
    return ctx.services.backups.backups(app);
  }

  @FieldResolver(() => [ApplicationClaim], { description: "The namespace's PersistentVolumeClaims, flagged when no backup covers them." })
  async claims(@Root() app: ApplicationRecord, @Ctx() ctx: Context) {
    return ctx.services.applications.claims(app, await ctx.services.backups.backups(app));
  }
}

@Resolver(() => Workspace)
export class WorkspaceApplicationsResolver {
  @FieldResolver(() => [Application])
  applications(@Root() workspace: WorkspaceWithPlan, @Ctx() ctx: Context) {
    return ctx.services.backups.applications(workspace);
  }
}
