import { and, asc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { backupEvents, type ForecastFailure, type ProposalRecord } from "../../db/schema/index.js";
import type { Logger } from "../../logger.js";
import { unobserved, type CycleObserver } from "../../observability/metrics.js";
import { boundClaim, PERSISTENT_VOLUME } from "../../platform/kubernetes/kinds/persistent-volume.js";
import { storageQuotaHeadroom } from "../../platform/kubernetes/quota-headroom.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { ProxmoxClient } from "../../platform/proxmox/client.js";
import { ApplicationRepository } from "../applications/application.repository.js";
import { BackupRepository } from "../backups/backup.repository.js";
import { VolumeRepository, type StorageVolumeRecord } from "../volumes/volume.repository.js";
import type { WorkspaceRepository, WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import { fencedBy, type WorkspaceShare } from "../workspaces/workspace-share.js";
import { AgentEventRepository, type AgentEvent } from "./agent-events.repository.js";
import { suggestExpansion } from "./headroom.js";
import { capacityWords, clearedWords, quotaFailureWords } from "./notice-words.js";
import { quotaRemedies, remedyRecords } from "./quota-failure.js";
import { REPOSITORY_FAILURES, repositoryFailureWords } from "./repository-failure.js";
import { GiB } from "../../kernel/units.js";
import { backupWriters } from "../monitoring/backup-writers.repository.js";
import { project } from "../monitoring/projection.js";

/** What the OrchestrationAgent asks the UserChatAgent to say (the payload of a NOTIFY_ADMIN event). */
export interface Notice {
  text: string;
  proposal?: ProposalRecord;
  /** Pending proposals for this volume are no longer current. */
  supersedesVolumeId?: string;
}

/**
 * The OrchestrationAgent of spec 5: receives the StorageWorkerAgent's flags and the backups' failure
 * events, decides what the Workspace Admins should hear, checks what an expansion can be before
 * proposing it, and hands the message to the UserChatAgent.
 */
export class OrchestrationAgent {
  constructor(
    private readonly deps: {
      db: Database;
      workspaces: WorkspaceRepository;
      proxmox: ProxmoxClient;
      vclusters: VClusters;
      logger: Logger;
      observeCycle?: CycleObserver;
      /** With several replicas: only the events of the workspaces this replica holds the lease on, handed on under it. */
      share?: WorkspaceShare;
    },
  ) {}

  cycle(): Promise<number> {
    return (this.deps.observeCycle ?? unobserved)(() => this.handleInbox());
  }

  private async handleInbox(): Promise<number> {
    const events = new AgentEventRepository(this.deps.db);
    let handled = 0;
    const share = this.deps.share;
    for (const event of await events.inbox(
      "ORCHESTRATION",
      100,
      share?.owned().map((f) => f.workspaceId),
    )) {
      try {
        const notice = await this.noticeFor(event);
        const took = await this.deps.db.transaction(async (tx) => {
          await fencedBy(share, event.workspaceId, tx);
          if (!(await events.claim(event.id, notice ? "notified the admins" : "nothing to say", tx))) return false;
          if (notice) {
            await events.send(
              {
                workspaceId: event.workspaceId,
                fromAgent: "ORCHESTRATION",
                toAgent: "USER_CHAT",
                kind: "NOTIFY_ADMIN",
                dedupeKey: `event:${event.id}`,
                payload: { ...notice },
              },
              tx,
            );
          }
          return true;
        });
        if (took) handled++;
      } catch (error) {
        this.deps.logger.warn("orchestration could not handle an event; will retry", { eventId: event.id, error: String(error) });
      }
    }
    return handled + (await this.takeBackupFailures());
  }

  /**
   * Backup runs that failed because their destination was full become flags of their own. With several replicas, only
   * the owned workspaces' failures are read: a page of the others' would crowd this replica's own out of it.
   */
  private async takeBackupFailures(): Promise<number> {
    const share = this.deps.share;
    const owned = share?.owned().map((f) => f.workspaceId);
    if (owned && !owned.length) return 0;
    const open = await this.deps.db
      .select()
      .from(backupEvents)
      .where(
        and(
          or(
            eq(backupEvents.kind, "QUOTA_EXCEEDED"),
            and(eq(backupEvents.kind, "RUN_FAILED"), inArray(sql`${backupEvents.payload}->>'reason'`, [...REPOSITORY_FAILURES])),
          ),
          isNull(backupEvents.handledAt),
          owned ? inArray(backupEvents.workspaceId, owned) : undefined,
        ),
      )
      .orderBy(asc(backupEvents.createdAt))
      .limit(100);
    const events = new AgentEventRepository(this.deps.db);
    let taken = 0;
    for (const failure of open) {
      // The share may have changed since the query: the fence decides.
      if (share && !share.fence(failure.workspaceId)) continue;
      await this.deps.db.transaction(async (tx) => {
        await fencedBy(share, failure.workspaceId, tx);
        const claimed = await tx
          .update(backupEvents)
          .set({ handledAt: new Date() })
          .where(and(eq(backupEvents.id, failure.id), isNull(backupEvents.handledAt)))
          .returning({ id: backupEvents.id });
        if (claimed.length === 0) return;
        taken++;
        await events.send(
          {
            workspaceId: failure.workspaceId,
            fromAgent: "ORCHESTRATION",
            toAgent: "ORCHESTRATION",
            kind: failure.kind === "QUOTA_EXCEEDED" ? "BACKUP_FAILED_QUOTA" : "BACKUP_REPOSITORY_FAILED",
            dedupeKey: `backup-event:${failure.id}`,
            payload: { backupId: failure.backupId, runId: failure.runId, ...failure.payload },
          },
          tx,
        );
      });
    }
    return taken;
  }

  private async noticeFor(event: AgentEvent): Promise<Notice | undefined> {
    const workspace = await this.deps.workspaces.findById(event.workspaceId);
    if (!workspace) return undefined;
    const p = event.payload as Record<string, unknown>;
    if (event.kind === "CAPACITY_FLAGGED" || event.kind === "CAPACITY_CLEARED") {
      const volume = await new VolumeRepository(this.deps.db, workspace.id).get(String(p["volumeId"]));
      if (!volume || volume.status === "DELETED") return undefined;
      const writers = await new BackupRepository(this.deps.db, workspace.id).usingVolume(volume.id);
      const volumeKind = writers.length ? "backup storage volume" : "storage volume";
      if (event.kind === "CAPACITY_CLEARED") {
        // An all-clear for a warning the admin never read would be the first they hear of it.
        if (!(await new AgentEventRepository(this.deps.db).warned(String(p["alertId"])))) return undefined;
        return { text: clearedWords(volumeKind, volume.name, Number(p["percent"])), supersedesVolumeId: volume.id };
      }
      const { lead, tail } = capacityWords({
        level: p["level"] as "WARNING" | "CRITICAL" | "FORECAST",
        volumeKind,
        volumeName: volume.name,
        percent: Number(p["percent"]),
        estimatedFullAt: p["estimatedFullAt"] ? new Date(String(p["estimatedFullAt"])) : null,
        failure: (p["forecastFailure"] as ForecastFailure | null | undefined) ?? null,
        timeZone: writers[0]?.timeZone ?? "UTC",
      });
      const usedBytes = Number(p["usedBytes"]);
      const need = await this.projectedNeed(volume, usedBytes, workspace.forecastDays);
      const sizedFor = need === undefined ? undefined : workspace.forecastDays;
      return this.withProposal(workspace, volume, usedBytes, lead, String(p["alertId"]), tail, need, sizedFor);
    }
    if (event.kind === "BACKUP_FAILED_QUOTA") return this.quotaFailure(workspace, p);
    if (event.kind === "BACKUP_REPOSITORY_FAILED") return this.repositoryFailure(workspace, p);
    return undefined;
  }

  /** A run that failed on a full destination: what it needed, what was free, and the remedies that would work. */
  private async quotaFailure(workspace: WorkspaceWithPlan, p: Record<string, unknown>): Promise<Notice | undefined> {
    const repo = new BackupRepository(this.deps.db, workspace.id);
    const backup = await repo.get(String(p["backupId"]), { includeDeleted: true });
    const run = p["runId"] ? await repo.run(String(p["runId"])) : undefined;
    if (!backup) return undefined;
    const app = await new ApplicationRepository(this.deps.db, workspace.id).get(backup.applicationId);
    const volume = await new VolumeRepository(this.deps.db, workspace.id).get(backup.destinationVolumeId);
    if (!volume) return undefined;
    const result = (p["result"] ?? {}) as {
      destFreeBytes?: number;
      destTotalBytes?: number;
      sourceBytes?: number;
      details?: { neededBytes?: number };
    };
    const free = result.destFreeBytes;
    const used = result.destTotalBytes !== undefined && free !== undefined ? result.destTotalBytes - free : undefined;
    // restic: what `restic backup --dry-run` said the run would add (the source's size is not what it needs)
    const needed = result.details?.neededBytes || result.sourceBytes || undefined;
    const missing = needed !== undefined && free !== undefined ? Math.max(0, needed - free) : undefined;
    const remedies = await quotaRemedies(this.deps.db, {
      workspaceId: workspace.id,
      backupId: backup.id,
      volumeId: volume.id,
      keepLastNow: backup.retention.keepLast ?? undefined,
      neededBytes: needed,
      missingBytes: missing,
    });
    const lead = quotaFailureWords({
      backupName: backup.name,
      applicationName: app?.name ?? "?",
      when: run?.scheduledAt ?? run?.createdAt,
      timeZone: backup.timeZone,
      jobName: run?.jobName,
      volumeName: volume.name,
      destination: used !== undefined && result.destTotalBytes ? { usedBytes: used, totalBytes: result.destTotalBytes } : undefined,
      neededBytes: needed,
      freeBytes: free,
      ...remedies,
    });
    // The proposal makes room for the run that failed, on top of what is there.
    const notice = await this.withProposal(
      workspace,
      volume,
      used ?? 0,
      lead,
      undefined,
      "",
      used !== undefined && needed ? used + needed : undefined,
    );
    const others = remedyRecords(backup, remedies);
    // The other fixes ride on the expansion's proposal, each a click of its own (a deleted backup cannot be changed);
    // when the volume cannot grow now, they are the proposal.
    if (!others.length || backup.deletedAt) return notice;
    notice.proposal ??= {
      kind: "EXPAND_VOLUME",
      volumeId: volume.id,
      volumeName: volume.name,
      fromSizeGiB: volume.sizeGiB,
      suggestedSizeGiB: volume.sizeGiB,
      state: "PENDING",
      expandable: false,
    };
    notice.proposal.remedies = others;
    notice.supersedesVolumeId ??= volume.id;
    return notice;
  }

  /** A repository that is damaged or that the key does not open: the admins hear it with what to do. */
  private async repositoryFailure(workspace: WorkspaceWithPlan, p: Record<string, unknown>): Promise<Notice | undefined> {
    const repo = new BackupRepository(this.deps.db, workspace.id);
    const backup = await repo.get(String(p["backupId"]), { includeDeleted: true });
    if (!backup) return undefined;
    const run = p["runId"] ? await repo.run(String(p["runId"])) : undefined;
    const app = await new ApplicationRepository(this.deps.db, workspace.id).get(backup.applicationId);
    const volume = await new VolumeRepository(this.deps.db, workspace.id).get(backup.destinationVolumeId);
    return {
      text: repositoryFailureWords({
        backupName: backup.name,
        applicationName: app?.name ?? "?",
        volumeName: volume?.name ?? "?",
        path: backup.destinationPath,
        run,
        reason: String(p["reason"]),
      }),
    };
  }

  /** Checks the headroom an expansion needs, and proposes only a size that can succeed. */
  private async withProposal(
    workspace: WorkspaceWithPlan,
    volume: StorageVolumeRecord,
    usedBytes: number,
    lead: string,
    alertId: string | undefined,
    tail: string,
    neededBytes?: number,
    /** The days of projected need the size covers, when a projection set it. */
    sizedForDays?: number,
  ): Promise<Notice> {
    const provisioned = await new VolumeRepository(this.deps.db, workspace.id).provisionedGiB();
    const capacity = await this.deps.proxmox.capacity(volume.node!).catch(() => undefined);
    const quotaRemainingGiB = await this.claimQuota(workspace, volume);
    const suggestion = suggestExpansion({
      quotaRemainingGiB,
      sizeGiB: volume.sizeGiB,
      usedBytes,
      neededBytes,
      planName: workspace.plan.name,
      planRemainingGiB: Math.max(0, workspace.plan.storageCeilingGiB - provisioned),
      storageFreeGiB: capacity ? Math.floor(capacity.availBytes / GiB) : 0,
    });
    if ("blocked" in suggestion) return { text: `${lead}${tail} It cannot be expanded right now: ${suggestion.blocked}.` };
    const limit = suggestion.limitedBy
      ? ` (the most ${suggestion.limitedBy} allows)`
      : sizedForDays
        ? ` (enough for ${sizedForDays} days of what its backups will write)`
        : "";
    // The question follows the warning at once, as the spec words it; the forecast comes after the suggestion.
    return {
      text: `${lead} Would you like to expand the volume? I suggest ${suggestion.sizeGiB} GiB${limit}, up from ${volume.sizeGiB} GiB.${tail}`,
      proposal: {
        kind: "EXPAND_VOLUME",
        volumeId: volume.id,
        volumeName: volume.name,
        fromSizeGiB: volume.sizeGiB,
        suggestedSizeGiB: suggestion.sizeGiB,
        state: "PENDING",
        alertId,
      },
      supersedesVolumeId: volume.id,
    };
  }

  /** Room under the quota of the namespace whose claim mounts the volume, if one limits it. */
  private async claimQuota(workspace: WorkspaceWithPlan, volume: StorageVolumeRecord) {
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    const pv = await client
      .read<Parameters<typeof boundClaim>[0]>({ ...PERSISTENT_VOLUME, metadata: { name: volume.persistentVolumeName } })
      .catch(() => undefined);
    const claim = pv && boundClaim(pv);
    if (!claim) return null;
    const headroom = await storageQuotaHeadroom(client, claim.namespace, volume.storageClassName).catch(() => null);
    return headroom ? { gib: headroom.remainingBytes / GiB, namespace: claim.namespace } : null;
  }

  /** What the volume's Backups will hold at most over the workspace's forecast days, when each has run enough to know its size. */
  private async projectedNeed(volume: StorageVolumeRecord, usedBytes: number, days: number, now = new Date()): Promise<number | undefined> {
    const backups = (await backupWriters(this.deps.db, [volume.id], now)).get(volume.id) ?? [];
    const projection = project({
      capacityBytes: Number.POSITIVE_INFINITY,
      usedBytes,
      now,
      backups,
      horizonMs: days * 24 * 3600 * 1000,
    });
    return projection.evidence ? projection.peakBytes : undefined;
  }
}
