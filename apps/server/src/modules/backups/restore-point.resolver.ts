import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { ApplicationRecord } from "../applications/application.repository.js";
import { Application } from "../applications/application.types.js";
import type { StorageVolumeRecord } from "../volumes/volume.repository.js";
import { StorageVolume } from "../volumes/volume.types.js";
import type { BackupRecord } from "./backup.repository.js";
import { Backup } from "./backup.types.js";
import { recoveredByRescan } from "./catalog-rebuild.js";
import type { RestorePointService } from "./restore-point.service.js";
import { CatalogJob, RestorePointPage, VolumeRestorePointHolding } from "./restore-point.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ restorePoints: RestorePointService }>;

const PAGE = { first: "How many (1 to 100).", after: "endCursor of the previous page.", backupId: "Only this Backup's." };

@Resolver(() => CatalogJob)
export class CatalogJobResolver {
  @Authorized()
  @Query(() => CatalogJob, { description: "A rescan or forget Job of the catalog of restore points, with its progress and outcome." })
  catalogJob(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.restorePoints.catalogJob(ctx.viewer!, id);
  }

  @Authorized()
  @Mutation(() => CatalogJob, {
    description:
      "Rebuilds the volume's restore points from its restic repositories (Workspace Admins): missing ones are recorded again, Backups the database lost are recovered as deleted ones, and those whose snapshot is gone are marked pruned.",
  })
  rescanStorageVolume(@Arg("volumeId", () => ID) volumeId: string, @Ctx() ctx: Context) {
    return ctx.services.restorePoints.rescan(ctx.viewer!, volumeId);
  }
}

@Resolver(() => Application)
export class ApplicationRestorePointResolver {
  @FieldResolver(() => RestorePointPage, {
    description: "Restore points of the application's Backups, deleted ones included; newest first.",
  })
  restorePoints(
    @Root() app: ApplicationRecord,
    @Arg("first", () => Int, { defaultValue: 20, description: PAGE.first }) first: number,
    @Arg("after", () => String, { nullable: true, description: PAGE.after }) after: string | null,
    @Arg("backupId", () => ID, { nullable: true, description: PAGE.backupId }) backupId: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.restorePoints.forApplication(app, { first, after, backupId });
  }
}

@Resolver(() => StorageVolume)
export class VolumeRestorePointResolver {
  @FieldResolver(() => RestorePointPage, {
    description: "Restore points held by the volume's repositories, deleted Backups' included; newest first.",
  })
  restorePoints(
    @Root() volume: StorageVolumeRecord,
    @Arg("first", () => Int, { defaultValue: 20, description: PAGE.first }) first: number,
    @Arg("after", () => String, { nullable: true, description: PAGE.after }) after: string | null,
    @Arg("backupId", () => ID, { nullable: true, description: PAGE.backupId }) backupId: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.restorePoints.forVolume(volume, { first, after, backupId });
  }

  @FieldResolver(() => [VolumeRestorePointHolding], { description: "What deleting the volume would take with it, per Backup." })
  restorePointHoldings(@Root() volume: StorageVolumeRecord, @Ctx() ctx: Context) {
    return ctx.services.restorePoints.holdings(volume);
  }

  @FieldResolver(() => CatalogJob, { nullable: true, description: "The latest rescan of the volume." })
  lastRescan(@Root() volume: StorageVolumeRecord, @Ctx() ctx: Context) {
    return ctx.services.restorePoints.lastRescan(volume);
  }
}

@Resolver(() => Backup)
export class BackupRestorePointResolver {
  @FieldResolver(() => Int, { description: "How many restore points the Backup has (what deleting it asks about)." })
  restorePointCount(@Root() backup: BackupRecord, @Ctx() ctx: Context) {
    return ctx.services.restorePoints.countForBackup(backup);
  }

  @FieldResolver(() => Boolean, {
    description:
      "Recovered by a rescan from its snapshots' tags: its schedule and function are placeholders (midnight UTC, TAR); set them before it backs up again.",
  })
  recovered(@Root() backup: BackupRecord): boolean {
    return recoveredByRescan(backup);
  }

  @FieldResolver(() => Date, { nullable: true, description: "When the Backup was deleted; its kept restore points stay listed." })
  deletedAt(@Root() backup: BackupRecord): Date | null {
    return backup.deletedAt;
  }

  @FieldResolver(() => CatalogJob, { nullable: true, description: "The Job removing the deleted Backup's snapshots, if it was asked for." })
  forgetJob(@Root() backup: BackupRecord, @Ctx() ctx: Context) {
    return backup.deletedAt ? ctx.services.restorePoints.lastForget(backup) : null;
  }
}
