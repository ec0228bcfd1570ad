import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import { Workspace } from "../workspaces/workspace.types.js";
import type { VolumeService } from "./volume.service.js";
import { MAX_STORAGE_CLASS_NAMES, type VolumePage } from "./volume-page.service.js";
import { StorageVolumeConnection, StorageVolumeFilter, StorageVolumeSort } from "./volume-page.types.js";

type Context = RequestContext<{ volumes: VolumeService }>;

@Resolver(() => Workspace)
export class WorkspaceVolumePageResolver {
  @FieldResolver(() => StorageVolumeConnection, {
    description:
      "The workspace's volumes a page at a time, sorted and filtered by the server (deleted ones only with filter.includeDeleted). " +
      "Oldest first unless `sort` says otherwise; pass `pageInfo.endCursor` (or one of `pageCursors`) as `after` for a later page.",
  })
  storageVolumePage(
    @Root() workspace: WorkspaceWithPlan,
    @Arg("first", () => Int, { defaultValue: 100, description: "Rows per page, 1 to 500." }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Arg("sort", () => StorageVolumeSort, { nullable: true }) sort: StorageVolumeSort | null,
    @Arg("filter", () => StorageVolumeFilter, { nullable: true }) filter: StorageVolumeFilter | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.volumes.page(workspace, { first, after, sort, filter });
  }

  @FieldResolver(() => [String], {
    description:
      "The StorageClass names of the workspace's volumes (each volume is its own StorageClass), in name order: those containing `search`, " +
      `\`first\` at most (1 to ${MAX_STORAGE_CLASS_NAMES}). For pickers, such as the quota dialog's.`,
  })
  storageClassNames(
    @Root() workspace: WorkspaceWithPlan,
    @Arg("search", () => String, { nullable: true }) search: string | null,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.volumes.storageClassNames(workspace, { search, first });
  }
}

@Resolver(() => StorageVolumeConnection)
export class StorageVolumeConnectionResolver {
  @FieldResolver(() => Int, { description: "Volumes matching the filter, on every page." })
  totalCount(@Root() page: VolumePage): Promise<number> {
    return page.totalCount();
  }

  @FieldResolver(() => [String], {
    description:
      "The `after` of every later page of this size in this order: element i starts page i + 1. A table jumps to any page with it (a keyset, not an offset).",
  })
  pageCursors(@Root() page: VolumePage): Promise<string[]> {
    return page.pageCursors();
  }
}
