import { Arg, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { SpaceEstimateService } from "./space-estimate.service.js";
import { BackupSpaceEstimate, BackupSpaceEstimateInput } from "./space-estimate.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ spaceEstimates: SpaceEstimateService }>;

@Resolver()
export class SpaceEstimateResolver {
  @Authorized()
  @Query(() => BackupSpaceEstimate, {
    description: "What a Backup being created or edited will need on its destination at steady state, and whether it fits.",
  })
  backupSpaceEstimate(@Arg("input", () => BackupSpaceEstimateInput) input: BackupSpaceEstimateInput, @Ctx() ctx: Context) {
    return ctx.services.spaceEstimates.estimate(ctx.viewer!, input);
  }
}
