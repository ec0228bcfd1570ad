import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import { Workspace } from "../workspaces/workspace.types.js";
import type { RepositoryKeyService } from "./repository-key.service.js";
import { RepositoryKeyExport } from "./repository-key.types.js";

type Context = RequestContext<{ repositoryKeys: RepositoryKeyService }>;

@Resolver(() => Workspace)
export class RepositoryKeyResolver {
  @Authorized()
  @Mutation(() => String, {
    description:
      "The workspace's restic repository password, in clear (Workspace Admins; `confirm` must be the workspace's slug). Recorded with who and when.",
  })
  exportRepositoryKey(
    @Arg("workspaceId", () => ID) workspaceId: string,
    @Arg("confirm", () => String) confirm: string,
    @Ctx() ctx: Context,
  ): Promise<string> {
    return ctx.services.repositoryKeys.export(ctx.viewer!, workspaceId, confirm);
  }

  @FieldResolver(() => [RepositoryKeyExport], { description: "The last exports of the repository key, newest first (admins only)." })
  repositoryKeyExports(@Root() workspace: WorkspaceWithPlan, @Ctx() ctx: Context) {
    return ctx.services.repositoryKeys.exports(ctx.viewer!, workspace.id);
  }
}
