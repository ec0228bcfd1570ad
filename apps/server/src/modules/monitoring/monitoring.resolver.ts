import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { MonitoringService } from "./monitoring.service.js";
import type { StorageVolumeRecord } from "../volumes/volume.repository.js";
import { StorageVolume } from "../volumes/volume.types.js";
import type { VolumeUsageView } from "./monitoring.service.js";
import { UsageProjection, UsageSample, VolumeUsage } from "./monitoring.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ monitoring: MonitoringService }, { usage: ReturnType<MonitoringService["usageLoader"]> }>;

@Resolver(() => StorageVolume)
export class VolumeUsageResolver {
  @FieldResolver(() => VolumeUsage, {
    nullable: true,
    description: "Null until a claim mounts the volume and a monitoring cycle has read it.",
  })
  async usage(@Root() volume: StorageVolumeRecord, @Ctx() ctx: Context) {
    return (await ctx.loaders.usage(volume.id)) ?? null;
  }

  @FieldResolver(() => [UsageSample], { description: "Usage over the last hours, oldest first, for the chart." })
  usageHistory(@Root() volume: StorageVolumeRecord, @Arg("hours", () => Int, { defaultValue: 24 }) hours: number, @Ctx() ctx: Context) {
    return ctx.services.monitoring.history(volume.id, hours);
  }
}

@Resolver(() => VolumeUsage)
export class UsageProjectionResolver {
  @FieldResolver(() => UsageProjection, {
    description: "The next 30 days of a backup volume's usage, from its Backups' schedules, run sizes and retention; computed on demand.",
  })
  projection(@Root() usage: VolumeUsageView, @Ctx() ctx: Context) {
    return ctx.services.monitoring.projection(usage);
  }
}
