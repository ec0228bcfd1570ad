import { Arg, Authorized, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import type { RequestContext } from "../../kernel/context.js";
import type { BackupService } from "./backup.service.js";
import type { VolumeService } from "../volumes/volume.service.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import { CreateBackupInput, RestoreBackupRunInput, UpdateBackupInput } from "./backup.inputs.js";
import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";
import { resticFigures, type ResticFigures } from "./run-figures.js";
import { Application } from "../applications/application.types.js";
import type { ApplicationRecord } from "../applications/application.repository.js";
import {
  Backup,
  BackupDestination,
  BackupFunction,
  BackupRun,
  ResticRunFigures,
  BackupPage,
  BackupRunPage,
  BackupSource,
  Retention,
  SchedulePreview,
} from "./backup.types.js";

/** The services this resolver delegates to. */
type Context = RequestContext<{ backups: BackupService; volumes: VolumeService; workspaces: WorkspaceService }>;

@Resolver(() => Backup)
export class BackupResolver {
  @Authorized()
  @Query(() => Backup)
  backup(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.backups.backup(ctx.viewer!, id);
  }

  @Authorized()
  @Query(() => BackupRun, { description: "One run, e.g. to read its log." })
  backupRun(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.backups.run(ctx.viewer!, id);
  }

  @Authorized()
  @Query(() => SchedulePreview, { description: "A schedule in words and its next runs, or why it is not valid." })
  schedulePreview(@Arg("schedule", () => String) schedule: string, @Arg("timeZone", () => String) timeZone: string, @Ctx() ctx: Context) {
    return ctx.services.backups.preview(schedule, timeZone);
  }

  @Authorized()
  @Mutation(() => Backup)
  createBackup(@Arg("input", () => CreateBackupInput) input: CreateBackupInput, @Ctx() ctx: Context) {
    return ctx.services.backups.create(ctx.viewer!, input);
  }

  @Authorized()
  @Mutation(() => Backup)
  updateBackup(@Arg("input", () => UpdateBackupInput) input: UpdateBackupInput, @Ctx() ctx: Context) {
    return ctx.services.backups.update(ctx.viewer!, input);
  }

  @Authorized()
  @Mutation(() => Backup, {
    description:
      "Removes the backup and its CronJob; its run history stays readable. keepRestorePoints (default true) keeps its snapshots listed and restorable; false starts a Job that forgets and prunes them (forgetJob).",
  })
  deleteBackup(
    @Arg("id", () => ID) id: string,
    @Arg("keepRestorePoints", () => Boolean, { defaultValue: true }) keepRestorePoints: boolean,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.backups.delete(ctx.viewer!, id, keepRestorePoints);
  }

  @Authorized()
  @Mutation(() => Backup)
  suspendBackup(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.backups.setSuspended(ctx.viewer!, id, true);
  }

  @Authorized()
  @Mutation(() => Backup)
  resumeBackup(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.backups.setSuspended(ctx.viewer!, id, false);
  }

  @Authorized()
  @Mutation(() => BackupRun, { description: "Starts a run now, from the backup's CronJob template." })
  runBackupNow(@Arg("id", () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.backups.runNow(ctx.viewer!, id);
  }

  @Authorized()
  @Mutation(() => BackupRun, { description: "Copies a run's snapshot back into a claim; reported like a run." })
  restoreBackupRun(@Arg("input", () => RestoreBackupRunInput) input: RestoreBackupRunInput, @Ctx() ctx: Context) {
    return ctx.services.backups.restore(ctx.viewer!, input);
  }

  @Authorized()
  @Mutation(() => BackupRun, { description: "Reads a run's snapshot back completely; the run's verifyState shows the outcome." })
  verifyBackupRun(@Arg("runId", () => ID) runId: string, @Ctx() ctx: Context) {
    return ctx.services.backups.verify(ctx.viewer!, runId);
  }

  @Authorized()
  @Subscription(() => BackupRun, {
    description: "Every change of a run (backup, restore, verification) of the application's backups.",
    subscribe: ({ args, context }) =>
      (context as Context).services.backups.subscribe((context as Context).viewer!, (args as { applicationId: string }).applicationId),
  })
  backupRunChanged(@Root() run: BackupRunRecord, @Arg("applicationId", () => ID) _applicationId: string): BackupRunRecord {
    return run;
  }

  @FieldResolver(() => BackupSource)
  source(@Root() b: BackupRecord): BackupSource {
    return { pvcName: b.sourcePvcName };
  }

  @FieldResolver(() => BackupDestination)
  async destination(@Root() b: BackupRecord, @Ctx() ctx: Context): Promise<BackupDestination> {
    const volume = await ctx.services.volumes.find(await ctx.services.workspaces.cachedWorkspace(b.workspaceId), b.destinationVolumeId);
    return { volumeId: b.destinationVolumeId, path: b.destinationPath, volume: (volume ?? null) as BackupDestination["volume"] };
  }

  @FieldResolver(() => BackupFunction, { name: "function" })
  fn(@Root() b: BackupRecord): BackupFunction {
    const p = b.functionParams;
    return {
      kind: b.functionKind,
      compression: p.compression ?? null,
      image: p.image ?? null,
      script: p.script ?? null,
      database: p.database ?? null,
    } as BackupFunction;
  }

  @FieldResolver(() => Retention)
  retention(@Root() b: BackupRecord): Retention {
    const r = b.retention;
    return {
      keepLast: r.keepLast ?? null,
      keepDaily: r.keepDaily ?? null,
      keepWeekly: r.keepWeekly ?? null,
      keepMonthly: r.keepMonthly ?? null,
    };
  }

  @FieldResolver(() => String, { description: "The schedule in words, with its time zone." })
  scheduleDescription(@Root() b: BackupRecord, @Ctx() ctx: Context) {
    return ctx.services.backups.describe(b);
  }

  @FieldResolver(() => Date, { nullable: true, description: "Null while suspended." })
  nextRunAt(@Root() b: BackupRecord, @Ctx() ctx: Context) {
    return ctx.services.backups.nextRuns(b, 1)[0] ?? null;
  }

  @FieldResolver(() => [Date])
  nextRuns(@Root() b: BackupRecord, @Arg("count", () => Int, { defaultValue: 5 }) count: number, @Ctx() ctx: Context) {
    return ctx.services.backups.nextRuns(b, count);
  }

  @FieldResolver(() => BackupRun, { nullable: true })
  async lastRun(@Root() b: BackupRecord, @Ctx() ctx: Context) {
    return (await ctx.services.backups.lastRun(b)) ?? null;
  }

  @FieldResolver(() => BackupRunPage, { description: "Newest first." })
  async runs(
    @Root() b: BackupRecord,
    @Arg("first", () => Int, { defaultValue: 20 }) first: number,
    @Arg("before", () => Date, { nullable: true }) before: Date | null,
    @Ctx() ctx: Context,
  ): Promise<BackupRunPage> {
    const [nodes, totalCount] = await Promise.all([
      ctx.services.backups.runs(b, first + 1, before ?? undefined),
      ctx.services.backups.countRuns(b),
    ]);
    const page = nodes.slice(0, first);
    return {
      nodes: page as unknown as BackupRun[],
      totalCount,
      nextBefore: nodes.length > first ? (page.at(-1)?.createdAt ?? null) : null,
    };
  }

  @FieldResolver(() => [BackupRun], { description: "The runs whose snapshots the next prune (after the next successful run) will remove." })
  prunePreview(@Root() b: BackupRecord, @Ctx() ctx: Context) {
    return ctx.services.backups.prunePreview(b);
  }
}

@Resolver(() => Application)
export class ApplicationBackupPageResolver {
  @FieldResolver(() => BackupPage, {
    description: "The application's backups by name, a page at a time: pass `pageInfo.endCursor` as `after` for the next page.",
  })
  backupPage(
    @Root() app: ApplicationRecord,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.backups.backupPage(app, first, after);
  }
}

@Resolver(() => BackupRun)
export class BackupRunResolver {
  @FieldResolver(() => String, { nullable: true, description: "The run's container log; read when asked, kept once the run ends." })
  logs(@Root() run: BackupRunRecord, @Ctx() ctx: Context) {
    return ctx.services.backups.logs(ctx.viewer!, run);
  }

  @FieldResolver(() => [BackupRun], {
    description:
      "For a backup run: its verifications, newest first (each a run of kind VERIFY); the run's verifyState is the latest outcome.",
  })
  verifications(@Root() run: BackupRunRecord, @Ctx() ctx: Context) {
    return ctx.services.backups.verifications(run);
  }

  @FieldResolver(() => ResticRunFigures, { nullable: true, description: "restic's figures, for a backup run into a repository." })
  restic(@Root() run: BackupRunRecord): ResticFigures | null {
    return resticFigures(run);
  }

  @FieldResolver(() => Float, { nullable: true })
  durationSeconds(@Root() run: BackupRunRecord): number | null {
    return run.startedAt && run.finishedAt ? Math.max(0, (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000) : null;
  }
}
