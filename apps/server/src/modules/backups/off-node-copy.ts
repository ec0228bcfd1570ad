import { randomBytes } from "node:crypto";
import type { V1Job, V1PersistentVolume, V1Pod } from "@kubernetes/client-node";
import { parseResult } from "@hks/backup-functions";
import type { Database } from "../../db/client.js";
import type { Logger } from "../../logger.js";
import { JOB, POD } from "../../platform/kubernetes/kinds/cron-job.js";
import { PERSISTENT_VOLUME } from "../../platform/kubernetes/kinds/persistent-volume.js";
import { volumeClaimManifest } from "../../platform/kubernetes/kinds/persistent-volume-claim.js";
import { NETWORK_POLICY } from "../../platform/kubernetes/kinds/network-policy.js";
import { SECRET } from "../../platform/kubernetes/kinds/secret.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import { ApplicationRepository } from "../applications/application.repository.js";
import type { AppPubSub as PubSub } from "../topics.js";
import { VolumeRepository, type StorageVolumeRecord } from "../volumes/volume.repository.js";
import type { WorkspaceRecord } from "../workspaces/workspace.repository.js";
import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";
import { claimThrough } from "./backup-spec.js";
import {
  COPY_CONTAINER,
  copyJob,
  copyNetworkPolicy,
  credentialsSecret,
  servePod,
  servePodName,
  type CopyPlan,
} from "./off-node-copy-manifests.js";
import { CopyRunRepository } from "./off-node-copy.repository.js";
import type { TranslationOptions } from "./translation.js";

/** How long the serving pod may take to start before the copy counts as failed. */
const SERVE_START_MS = 5 * 60_000;

/**
 * After each successful run, its snapshot goes to the off-node copy (3-2-1). Local disks cannot be mounted on another
 * Proxmox node, so the copy travels over the network as it would on any Kubernetes: a pod on the primary's node serves
 * the repository (rclone serve restic, credentials made for this copy), a Job on the copy's node pulls from the pod's
 * address (restic copy) and applies the same retention there. One copy per Backup at a time; driven by the run
 * tracker's passes, its state lives on the runs, so a restarted server picks it up where it was.
 */
export class OffNodeCopier {
  constructor(private readonly deps: { db: Database; pubsub: PubSub; logger: Logger; translation: TranslationOptions; now?: () => Date }) {}

  async sync(workspace: WorkspaceRecord, client: VClusterClient): Promise<void> {
    const repo = new CopyRunRepository(this.deps.db, workspace.id);
    const [withCopy, copying] = await Promise.all([repo.backupsWithCopy(), repo.copying()]);
    // A copy whose destination went away (removed, changed, or its Backup deleted) ends now, not at its pod's deadline.
    for (const { run, backup } of copying) {
      const why = destinationGone(backup, run, withCopy);
      if (why)
        await this.abandon(repo, client, backup, run, why).catch((error: unknown) =>
          this.deps.logger.warn("ending an off-node copy failed", { backup: backup.id, error: String(error) }),
        );
    }
    for (const backup of withCopy) {
      try {
        for (const run of await repo.markPending(backup)) this.announce(backup, run);
        const active = await repo.newest(backup.id, "COPYING");
        if (active) await this.follow(repo, client, backup, active);
        else {
          const pending = await repo.newest(backup.id, "PENDING");
          if (pending) await this.start(repo, client, backup, pending);
        }
      } catch (error) {
        this.deps.logger.warn("off-node copy pass failed", { backup: backup.id, error: String(error) });
      }
    }
  }

  /** Credentials and the serving pod; the Job follows once the pod has its address. */
  private async start(repo: CopyRunRepository, client: VClusterClient, backup: BackupRecord, run: BackupRunRecord): Promise<void> {
    const plan = await this.plan(repo.workspaceId, client, backup, `${backup.cronJobName}-c${randomBytes(3).toString("hex")}`);
    if (!plan) return;
    // The policy exists before the pod: the repository is never served to any pod but this copy's Job.
    await client.apply(copyNetworkPolicy(plan));
    await client.apply(credentialsSecret(plan, `hks-${randomBytes(4).toString("hex")}`, randomBytes(24).toString("hex")));
    await client.apply(servePod(plan, this.deps.translation));
    this.announce(
      backup,
      await repo.set(run.id, { copyStatus: "COPYING", copyJobName: plan.name, copyStartedAt: this.now(), copyMessage: null }),
    );
  }

  private async follow(repo: CopyRunRepository, client: VClusterClient, backup: BackupRecord, run: BackupRunRecord): Promise<void> {
    const name = run.copyJobName!;
    const namespace = (await new ApplicationRepository(this.deps.db, repo.workspaceId).get(backup.applicationId))?.namespace;
    if (!namespace) return;
    const fail = (message: string) => this.finish(repo, client, backup, run, namespace, false, message);
    const unusable = await this.unusableVolume(repo.workspaceId, backup);
    if (unusable) return this.abandon(repo, client, backup, run, unusable);
    const job = await client.read<V1Job>({ ...JOB, metadata: { name, namespace } });
    const pod = await client.read<V1Pod>({ ...POD, metadata: { name: servePodName({ name }), namespace } });
    if (!job) {
      // The message is set when the Job is made: a Job gone since then never reports, so the copy ends here.
      if (run.copyMessage !== null)
        return fail(
          `The copy Job ${name} disappeared before it reported a result; the copy is retried after the next run. The copy made before is still there to restore from.`,
        );
      const phase = pod?.status?.phase;
      if (phase === "Running" && pod?.status?.podIP) {
        const plan = await this.plan(repo.workspaceId, client, backup, name, portOf(pod));
        if (!plan) return;
        await client.apply(copyJob(plan, this.deps.translation, pod.status.podIP));
        const copyMessage = `Copying: the Job ${name} on node ${plan.copy.zone ?? "(any)"} pulls the new snapshots from the primary's node.`;
        this.announce(backup, await repo.set(run.id, { copyMessage }));
        return;
      }
      const unschedulable = pod?.status?.conditions?.find((c) => c.type === "PodScheduled" && c.reason === "Unschedulable");
      if (!pod || phase === "Failed" || phase === "Succeeded") {
        const said = pod?.status?.containerStatuses?.[0]?.state?.terminated;
        const why = said ? parseResult(said.message, said.exitCode).message : "it is gone";
        return fail(`The pod serving the primary repository stopped before the copy started: ${why}`);
      }
      if (unschedulable || this.now().getTime() - (run.copyStartedAt?.getTime() ?? 0) > SERVE_START_MS) {
        return fail(
          `The primary's node cannot run the pod that serves the repository (${unschedulable?.message ?? "it did not start in time"}); the copy is retried after the next run. The copy made before is still there to restore from.`,
        );
      }
      return;
    }
    const complete = job.status?.conditions?.some((c) => c.type === "Complete" && c.status === "True");
    const failed = job.status?.conditions?.some((c) => c.type === "Failed" && c.status === "True");
    const pods = await client.list<V1Pod>(POD.apiVersion, POD.kind, namespace, `job-name=${name}`);
    if (!complete && !failed) {
      const stuck = pods
        .at(-1)
        ?.status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "False" && c.reason === "Unschedulable");
      if (!stuck) return;
      // A copy waiting for its node would hold the primary's serving pod open; it is retried after the next run instead.
      await deleteCopyJob(client, name, namespace);
      return fail(
        `The copy's node cannot run the copy (${stuck.message ?? "unschedulable"}): the off-node copy's volume is out of reach; the copy is retried after the next run.`,
      );
    }
    const terminated = pods.at(-1)?.status?.containerStatuses?.find((c) => c.name === COPY_CONTAINER)?.state?.terminated;
    const result = parseResult(terminated?.message, terminated?.exitCode);
    await this.finish(repo, client, backup, run, namespace, !!complete && result.outcome !== "FAILED", result.message);
  }

  private async finish(
    repo: CopyRunRepository,
    client: VClusterClient,
    backup: BackupRecord,
    run: BackupRunRecord,
    namespace: string,
    ok: boolean,
    message: string,
  ): Promise<void> {
    const name = run.copyJobName!;
    // The repository is served no longer than the copy needs it, and its credentials and network policy go with it.
    await client.delete({ ...POD, metadata: { name: servePodName({ name }), namespace } });
    await client.delete({ ...NETWORK_POLICY, metadata: { name: servePodName({ name }), namespace } });
    await client.delete({ ...SECRET, metadata: { name, namespace } });
    const changed = ok
      ? await repo.coveredBy(backup.id, run.copyStartedAt ?? this.now(), {
          copyStatus: "COPIED",
          copiedAt: this.now(),
          copyMessage: message,
        })
      : [await repo.set(run.id, { copyStatus: "FAILED", copyMessage: message })];
    for (const r of changed) this.announce(backup, r);
  }

  /** Stops a copy that can no longer finish (its Job too, if it runs) and marks it FAILED with why. */
  private async abandon(repo: CopyRunRepository, client: VClusterClient, backup: BackupRecord, run: BackupRunRecord, why: string) {
    const namespace = (await new ApplicationRepository(this.deps.db, repo.workspaceId).get(backup.applicationId))?.namespace;
    if (!namespace) return void this.announce(backup, await repo.set(run.id, { copyStatus: "FAILED", copyMessage: why }));
    await deleteCopyJob(client, run.copyJobName!, namespace);
    await this.finish(repo, client, backup, run, namespace, false, why);
  }

  /** Why a volume of the copy cannot be used now, in a sentence; undefined when both can. */
  private async unusableVolume(workspaceId: string, backup: BackupRecord): Promise<string | undefined> {
    const volumes = new VolumeRepository(this.deps.db, workspaceId);
    const [primary, copy] = await Promise.all([volumes.get(backup.destinationVolumeId), volumes.get(backup.copyVolumeId!)]);
    for (const [volume, role] of [
      [copy, "off-node copy's volume"],
      [primary, "destination volume"],
    ] as const) {
      if (volume?.status !== "AVAILABLE")
        return `The ${role}${volume ? ` '${volume.name}' is ${volume.status.toLowerCase()}` : " is gone"}, so the copy was stopped; it is retried after the next run once the volume is available.`;
    }
    return undefined;
  }

  /** Where both repositories are and how their claims reach the namespace; undefined while a volume is unusable. */
  private async plan(workspaceId: string, client: VClusterClient, backup: BackupRecord, name: string, port?: number) {
    const app = await new ApplicationRepository(this.deps.db, workspaceId).get(backup.applicationId);
    const volumes = new VolumeRepository(this.deps.db, workspaceId);
    const [primary, copy] = await Promise.all([volumes.get(backup.destinationVolumeId), volumes.get(backup.copyVolumeId!)]);
    if (!app || !usable(primary) || !usable(copy)) return undefined;
    const claims = await Promise.all(
      [primary, copy].map(async (volume) => {
        const pv = await client.read<V1PersistentVolume>({ ...PERSISTENT_VOLUME, metadata: { name: volume.persistentVolumeName } });
        const claim = claimThrough(pv, volume, app.namespace);
        if (claim.managed)
          await client.apply(
            volumeClaimManifest({
              name: claim.name,
              namespace: app.namespace,
              volumeId: volume.id,
              storageClassName: volume.storageClassName,
              persistentVolumeName: volume.persistentVolumeName,
              sizeGiB: volume.sizeGiB,
            }),
          );
        return claim.name;
      }),
    );
    const plan: CopyPlan = {
      name,
      namespace: app.namespace,
      backupId: backup.id,
      primary: { claim: claims[0]!, path: backup.destinationPath, zone: primary.node },
      copy: { claim: claims[1]!, path: backup.copyPath!, zone: copy.node },
      retention: backup.retention,
      timeZone: backup.timeZone,
      port: port ?? 20_000 + (randomBytes(2).readUInt16BE() % 30_000),
    };
    return plan;
  }

  private announce(backup: BackupRecord, run: BackupRunRecord): void {
    this.deps.pubsub.publish("BACKUP_RUN_CHANGED", backup.applicationId, run);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}

const usable = (v: StorageVolumeRecord | undefined): v is StorageVolumeRecord => !!v && v.status === "AVAILABLE";

/**
 * The copy Job and its pods: a Job deleted through the API without a propagation policy leaves its pods running (batch/v1
 * orphans them by default), and a running restic copy would go on writing into the copy's repository.
 */
async function deleteCopyJob(client: VClusterClient, name: string, namespace: string): Promise<void> {
  await client.delete({ ...JOB, metadata: { name, namespace } });
  for (const pod of await client.list<V1Pod>(POD.apiVersion, POD.kind, namespace, `job-name=${name}`))
    await client.delete({ ...POD, metadata: { name: pod.metadata!.name!, namespace } });
}

/** Why a copy in progress can no longer land where its Backup now wants it; undefined while it can. */
function destinationGone(backup: BackupRecord, run: BackupRunRecord, withCopy: BackupRecord[]): string | undefined {
  if (backup.deletedAt) return "The backup was deleted while its snapshot was being copied; the copy was stopped.";
  const live = withCopy.find((b) => b.id === backup.id);
  if (!live) return "The off-node copy destination was removed while the snapshot was being copied; the copy was stopped.";
  if (live.copySince && run.copyStartedAt && live.copySince > run.copyStartedAt)
    return "The off-node copy destination changed while the snapshot was being copied; the copy was stopped and the next run is copied to the new one.";
  return undefined;
}

function portOf(pod: V1Pod): number | undefined {
  return pod.spec?.containers?.[0]?.ports?.[0]?.containerPort;
}
