import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { VolumeService } from "./volume.service.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import { Workspace } from "../workspaces/workspace.types.js";
import { CreateStorageVolumeInput, ExpandStorageVolumeInput } from "./volume.inputs.js";
import type { StorageVolumeRecord } from "./volume.repository.js";
import { StorageSummary, StorageVolume, VolumeBackupWriter } from "./volume.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ volumes: VolumeService; workspaces: WorkspaceService }>;

@Resolver(() => StorageVolume)
export class VolumeResolver {
  @Authorized()
  @Mutation(() => StorageVolume, { description: "Starts provisioning; the volume is PROVISIONING until it becomes AVAILABLE or FAILED." })
  createStorageVolume(@Arg("input", () => CreateStorageVolumeInput) input: CreateStorageVolumeInput, @Ctx() ctx: Context) {
    return ctx.services.volumes.create(ctx.viewer!, input);
  }

  @Authorized()
  @Mutation(() => StorageVolume)
  expandStorageVolume(@Arg("input", () => ExpandStorageVolumeInput) input: ExpandStorageVolumeInput, @Ctx() ctx: Context) {
    return ctx.services.volumes.expand(ctx.viewer!, input);
  }

  @Authorized()
  @Mutation(() => StorageVolume)
  deleteStorageVolume(
    @Arg("id", () => ID) id: string,
    @Arg("confirmRestorePoints", () => Boolean, {
      defaultValue: false,
      description: "Required (true) when the volume holds restore points: deleting the volume deletes them.",
    })
    confirmRestorePoints: boolean,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.volumes.delete(ctx.viewer!, id, { confirmRestorePoints });
  }

  @Authorized()
  @Subscription(() => StorageVolume, {
    description: "Every change of a volume of the workspace: status, size, failures.",
    subscribe: ({ args, context }) =>
      (context as Context).services.volumes.subscribe((context as Context).viewer!, (args as { workspaceId: string }).workspaceId),
  })
  storageVolumeChanged(@Root() volume: StorageVolumeRecord, @Arg("workspaceId", () => ID) _workspaceId: string): StorageVolumeRecord {
    return volume;
  }

  @FieldResolver(() => Float, { description: "This volume's share of the monthly bill." })
  async monthlyCost(@Root() volume: StorageVolumeRecord, @Ctx() ctx: Context): Promise<number> {
    const billed = volume.status !== "DELETED" && volume.status !== "FAILED" && volume.status !== "PROVISIONING";
    if (!billed) return 0;
    const { plan } = await ctx.services.workspaces.cachedWorkspace(volume.workspaceId);
    return (volume.sizeGiB * plan.priceCentsPerGiBMonth) / 100;
  }

  @FieldResolver(() => Int, { nullable: true, description: "The size being expanded to while the volume is EXPANDING." })
  requestedSizeGiB(@Root() volume: StorageVolumeRecord, @Ctx() ctx: Context): Promise<number | null> {
    return ctx.services.volumes.requestedSizeGiB(volume);
  }

  @FieldResolver(() => [VolumeBackupWriter], {
    description: "The backups writing into this volume; it can be deleted only once none is left.",
  })
  backupWriters(@Root() volume: StorageVolumeRecord, @Ctx() ctx: Context) {
    return ctx.services.volumes.backupWriters(volume);
  }

  @FieldResolver(() => String)
  async currency(@Root() volume: StorageVolumeRecord, @Ctx() ctx: Context): Promise<string> {
    return (await ctx.services.workspaces.cachedWorkspace(volume.workspaceId)).plan.currency;
  }
}

@Resolver(() => Workspace)
export class WorkspaceStorageResolver {
  @FieldResolver(() => [StorageVolume], {
    description:
      "Oldest first. Page with `first` and `after` (the id of the last volume of the previous page); without `first`, all of them.",
  })
  storageVolumes(
    @Root() workspace: WorkspaceWithPlan,
    @Arg("includeDeleted", () => Boolean, { defaultValue: false }) includeDeleted: boolean,
    @Arg("first", () => Int, { nullable: true }) first: number | null,
    @Arg("after", () => ID, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.volumes.list(workspace, { includeDeleted, first, after });
  }

  @FieldResolver(() => StorageVolume, { nullable: true })
  async storageVolume(@Root() workspace: WorkspaceWithPlan, @Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.volumes.find(workspace, id);
  }

  @FieldResolver(() => StorageSummary)
  storageSummary(@Root() workspace: WorkspaceWithPlan, @Ctx() ctx: Context) {
    return ctx.services.volumes.summary(workspace);
  }
}
