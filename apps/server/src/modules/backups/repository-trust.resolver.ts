import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";
import type { BackupService } from "./backup.service.js";
import { Backup, BackupRun } from "./backup.types.js";
import { checkCronJobNameFor, describeCheck, nextCheck } from "./repository-checks.js";
import { RepositoryCheck, RepositoryFigures } from "./repository-trust.types.js";
import { safetySnapshotOf } from "./safety-restore.js";

type Context = RequestContext<{ backups: BackupService }>;

/** What makes a restic repository trustworthy on the Backup: its figures, its scheduled check. */
@Resolver(() => Backup)
export class RepositoryTrustResolver {
  @FieldResolver(() => RepositoryFigures, {
    nullable: true,
    description: "RESTIC: the repository's stored size against the logical size of its kept snapshots; null before the first run.",
  })
  repository(@Root() b: BackupRecord, @Ctx() ctx: Context) {
    return ctx.services.backups.repositoryFigures(b);
  }

  @FieldResolver(() => RepositoryCheck, { nullable: true, description: "The scheduled repository check; null when none is set." })
  check(@Root() b: BackupRecord): RepositoryCheck | null {
    if (!b.checkSchedule) return null;
    return {
      schedule: b.checkSchedule,
      readDataSubset: b.checkReadDataSubset,
      description: describeCheck(b),
      nextRunAt: nextCheck(b),
      cronJobName: checkCronJobNameFor(b),
    };
  }

  @Authorized()
  @Mutation(() => BackupRun, {
    description:
      "Puts back what a failed overwrite restore replaced: restores its safety snapshot into the same claim (with overwrite), as a RESTORE run.",
  })
  putBackSafetySnapshot(@Arg("runId", () => ID) runId: string, @Ctx() ctx: Context) {
    return ctx.services.backups.putBack(ctx.viewer!, runId);
  }
}

@Resolver(() => BackupRun)
export class RestoreSafetyResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: "For an overwrite restore: the safety snapshot of what it replaced (kept: the last 3, and any younger than 7 days).",
  })
  safetySnapshot(@Root() run: BackupRunRecord): string | null {
    return safetySnapshotOf(run);
  }
}
