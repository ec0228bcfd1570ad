import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import { BackupRun } from "./backup.types.js";
import type { SnapshotBrowseService } from "./snapshot-browse.js";
import { RestoreSnapshotPathsInput, SnapshotDownload, SnapshotListing } from "./snapshot-browse.types.js";

type Context = RequestContext<{ snapshots: SnapshotBrowseService }>;

@Resolver()
export class SnapshotBrowseResolver {
  @Authorized()
  @Query(() => SnapshotListing, {
    description:
      "A folder of a backup run's restic snapshot, paged; with `search`, the entries below `path` whose name contains it. The first look reads the whole snapshot once.",
  })
  snapshotListing(
    @Arg("runId", () => ID) runId: string,
    @Arg("path", () => String, { defaultValue: "/" }) path: string,
    @Arg("search", () => String, { nullable: true }) search: string | null,
    @Arg("offset", () => Int, { defaultValue: 0 }) offset: number,
    @Arg("limit", () => Int, { defaultValue: 50 }) limit: number,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.snapshots.browse(ctx.viewer!, { runId, path, search, offset, limit });
  }

  @Authorized()
  @Mutation(() => BackupRun, { description: "Restores chosen files or folders of a snapshot into the backup's claim (a RESTORE run)." })
  restoreSnapshotPaths(@Arg("input", () => RestoreSnapshotPathsInput) input: RestoreSnapshotPathsInput, @Ctx() ctx: Context) {
    return ctx.services.snapshots.restore(ctx.viewer!, input);
  }

  @Authorized()
  @Mutation(() => SnapshotDownload, { description: "A single-use link to download one file of a snapshot (Workspace Admins)." })
  createSnapshotDownload(@Arg("runId", () => ID) runId: string, @Arg("path", () => String) path: string, @Ctx() ctx: Context) {
    return ctx.services.snapshots.createDownload(ctx.viewer!, { runId, path });
  }
}
