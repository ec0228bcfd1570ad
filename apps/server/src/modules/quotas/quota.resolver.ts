import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { QuotaService } from "./quota.service.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import { Workspace } from "../workspaces/workspace.types.js";
import { SetNamespaceQuotaInput } from "./quota.inputs.js";
import { NamespaceQuota } from "./quota.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ quotas: QuotaService }>;

@Resolver(() => NamespaceQuota)
export class QuotaResolver {
  @Authorized()
  @Mutation(() => NamespaceQuota)
  setNamespaceQuota(@Arg("input", () => SetNamespaceQuotaInput) input: SetNamespaceQuotaInput, @Ctx() ctx: Context) {
    return ctx.services.quotas.set(ctx.viewer!, input);
  }
}

@Resolver(() => Workspace)
export class WorkspaceQuotaResolver {
  @FieldResolver(() => [NamespaceQuota])
  namespaceQuotas(@Root() workspace: WorkspaceWithPlan, @Ctx() ctx: Context) {
    return ctx.services.quotas.list(workspace);
  }
}
