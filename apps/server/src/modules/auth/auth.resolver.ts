import { Arg, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { ANONYMOUS } from "../../kernel/viewer.js";
import type { RequestContext } from "../../kernel/context.js";
import type { AuthService } from "./auth.service.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import { AuthPayload, Membership, User } from "./auth.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ auth: AuthService; workspaces: WorkspaceService }>;

@Resolver(() => User)
export class AuthResolver {
  @Authorized(ANONYMOUS)
  @Mutation(() => AuthPayload, { description: "Lab sign-in: exchanges an email and password for a bearer token." })
  login(@Arg("email", () => String) email: string, @Arg("password", () => String) password: string, @Ctx() ctx: Context) {
    return ctx.services.auth.login(email, password);
  }

  @Authorized()
  @Query(() => User)
  me(@Ctx() ctx: Context) {
    return ctx.services.auth.me(ctx.viewer!);
  }

  @FieldResolver(() => [Membership])
  async memberships(@Root() user: User, @Ctx() ctx: Context): Promise<Membership[]> {
    if (ctx.viewer?.userId !== user.id) return [];
    const workspaces = await ctx.services.workspaces.listForViewer(ctx.viewer);
    return workspaces.map((workspace) => ({ role: ctx.viewer!.roles.get(workspace.id)!, workspace }) as Membership);
  }
}
