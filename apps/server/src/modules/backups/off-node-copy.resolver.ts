import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { VolumeService } from "../volumes/volume.service.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";
import { Backup, BackupDestination, BackupRun } from "./backup.types.js";
import type { BackupCopyStatus } from "./off-node-copy.inputs.js";
import { BackupRunCopy } from "./off-node-copy.types.js";
import { copySnapshotOf } from "./off-node-copy-restore.js";

type Context = RequestContext<{ volumes: VolumeService; workspaces: WorkspaceService }>;

@Resolver(() => Backup)
export class BackupCopyResolver {
  @FieldResolver(() => BackupDestination, {
    nullable: true,
    description: "The off-node copy's volume (on another Proxmox node) and folder; null when the backup has none.",
  })
  async copyDestination(@Root() b: BackupRecord, @Ctx() ctx: Context): Promise<BackupDestination | null> {
    if (!b.copyVolumeId || !b.copyPath) return null;
    const volume = await ctx.services.volumes.find(await ctx.services.workspaces.cachedWorkspace(b.workspaceId), b.copyVolumeId);
    return { volumeId: b.copyVolumeId, path: b.copyPath, volume: (volume ?? null) as BackupDestination["volume"] };
  }
}

@Resolver(() => BackupRun)
export class BackupRunCopyResolver {
  @FieldResolver(() => BackupRunCopy, {
    nullable: true,
    description: "For a successful backup run of a backup with an off-node copy: whether its snapshot is in the copy yet.",
  })
  copy(@Root() run: BackupRunRecord): BackupRunCopy | null {
    if (!run.copyStatus) return null;
    return {
      status: run.copyStatus as BackupCopyStatus,
      message: run.copyMessage,
      startedAt: run.copyStartedAt,
      copiedAt: run.copiedAt,
    };
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "For a restore from the COPY: the id the snapshot has in the copy's repository (restic copy gives it a new one); `snapshot` is the primary's id.",
  })
  copySnapshot(@Root() run: BackupRunRecord): string | null {
    return copySnapshotOf(run);
  }

  @FieldResolver(() => String, { nullable: true, description: "For a restore: PRIMARY or COPY, the repository it read from." })
  restoreSource(@Root() run: BackupRunRecord): string | null {
    return run.restoreSource;
  }
}
