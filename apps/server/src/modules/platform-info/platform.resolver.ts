import { Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { PlatformService } from "./platform.service.js";
import { Platform } from "./platform.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ platform: PlatformService }>;

@Resolver(() => Platform)
export class PlatformResolver {
  @Authorized()
  @Query(() => Platform, { description: "What the product runs on; on the lab, what its sizes mean." })
  platform(@Ctx() ctx: Context): Platform {
    return ctx.services.platform.describe();
  }
}
