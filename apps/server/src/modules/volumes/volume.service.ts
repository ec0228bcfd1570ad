import { randomUUID } from "node:crypto";
import type { Database } from "../../db/client.js";
import type { Viewer } from "../../kernel/viewer.js";
import { conflict, ErrorCode, invalidInput, notFound, DomainError } from "../../kernel/errors.js";
import type { AppPubSub as PubSub } from "../topics.js";
import { boundClaim, PERSISTENT_VOLUME } from "../../platform/kubernetes/kinds/persistent-volume.js";
import { storageQuotaHeadroom } from "../../platform/kubernetes/quota-headroom.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { ProxmoxClient, StorageCapacity } from "../../platform/proxmox/client.js";
import { BackupRepository, type BackupRecord } from "../backups/backup.repository.js";
import type { CatalogJobs } from "../backups/catalog-jobs.js";
import { isReleasedManagedClaim } from "../backups/destination-claims.js";
import { restorePointsNotice } from "./restore-points-notice.js";
import { BillingRepository } from "../billing/billing.repository.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import { WorkspaceService } from "../workspaces/workspace.service.js";
import { VolumeRepository, type StorageVolumeRecord, type VolumeOperationRecord } from "./volume.repository.js";
import type { VolumeSagaRunner } from "./volume-saga.js";
import { validateIdempotencyKey, validatePage, validateSizeGiB, validateVolumeName } from "./validation.js";
import { GiB } from "../../kernel/units.js";
import { pageVolumes, storageClassNames, type VolumePageArgs } from "./volume-page.service.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BUSY = new Set(["PROVISIONING", "EXPANDING", "DELETING"]);

export interface VolumeServiceDeps {
  db: Database;
  workspaces: WorkspaceService;
  proxmox: ProxmoxClient;
  vclusters: VClusters;
  sagas: VolumeSagaRunner;
  pubsub: PubSub;
  /** Removes the destination claims HKS made for a volume, so they never block its deletion. */
  catalog?: Pick<CatalogJobs, "releaseClaims">;
}

/** The rules of Storage Volumes: who may do what, what fits, and which saga carries it out. */
export class VolumeService {
  constructor(private readonly deps: VolumeServiceDeps) {}

  async list(
    workspace: WorkspaceWithPlan,
    page: { includeDeleted?: boolean; first?: number | null; after?: string | null } = {},
  ): Promise<StorageVolumeRecord[]> {
    const repo = this.repo(workspace.id);
    const { first, after } = validatePage(page);
    if (after && !(await repo.get(after)))
      throw invalidInput("after", "The cursor 'after' is not a volume of this workspace; start again from the first page.");
    return repo.list({ includeDeleted: page.includeDeleted, first, after });
  }

  /** A page of the list in the order and under the filter asked for (the Storage table, the volume pickers). */
  page(workspace: WorkspaceWithPlan, args: VolumePageArgs) {
    return pageVolumes(this.deps.db, workspace.id, args);
  }

  storageClassNames(workspace: WorkspaceWithPlan, args: { search?: string | null; first: number }) {
    return storageClassNames(this.deps.db, workspace.id, args);
  }

  async get(viewer: Viewer, id: string): Promise<StorageVolumeRecord> {
    for (const workspaceId of viewer.roles.keys()) {
      const volume = UUID.test(id) ? await this.repo(workspaceId).get(id) : undefined;
      if (volume) return volume;
    }
    throw notFound(`Storage volume '${id}'`);
  }

  async create(
    viewer: Viewer,
    input: { workspaceId: string; name: string; sizeGiB: number; idempotencyKey?: string | null; notOnNodeOfVolumeId?: string | null },
  ): Promise<StorageVolumeRecord> {
    const { workspace } = await this.deps.workspaces.requireAdmin(viewer, input.workspaceId);
    WorkspaceService.requireDedicatedPlan(workspace);
    const name = validateVolumeName(input.name);
    const sizeGiB = validateSizeGiB(input.sizeGiB);
    const idempotencyKey = validateIdempotencyKey(input.idempotencyKey);
    const repo = this.repo(workspace.id);

    if (idempotencyKey) {
      const replay = await this.replay(repo, "CREATE", idempotencyKey, (op, v) => v.name === name && op.toSizeGiB === sizeGiB);
      if (replay) return replay;
    }
    // Checked early so the plan's own limit is what the admin hears about first; re-checked under the lock below.
    await this.requireWithinCeiling(workspace, repo, sizeGiB, this.deps.db);
    // Where the disk goes is read before the transaction: a platform call must not hold the workspace lock.
    const avoid = input.notOnNodeOfVolumeId ? await avoidedNode(repo, input.notOnNodeOfVolumeId) : undefined;
    const placement = await this.placement(sizeGiB, avoid);

    const started = await this.deps.db.transaction(async (tx) => {
      await repo.lockWorkspace(tx);
      // The same request, sent twice at once (a retry, two instances): the other one committed while this waited for the lock.
      if (idempotencyKey && (await repo.operationByKey("CREATE", idempotencyKey, tx))) return undefined;
      if (await repo.liveByName(name, tx)) {
        throw conflict(`A volume named '${name}' already exists in this workspace; choose another name.`, "name");
      }
      await this.requireWithinCeiling(workspace, repo, sizeGiB, tx);
      const id = randomUUID();
      const volume = await repo.insert(
        {
          id,
          name,
          sizeGiB,
          status: "PROVISIONING",
          node: placement.node,
          storage: placement.storage,
          diskName: `vm-${this.deps.proxmox.holderVmid}-hks-${workspace.slug}-${name}-${id.slice(0, 8)}`,
          storageClassName: `hks-${name}`,
          persistentVolumeName: `hks-${workspace.slug}-${name}`,
        },
        tx,
      );
      const op = await repo.insertOperation(
        {
          volumeId: id,
          kind: "CREATE",
          state: "RUNNING",
          step: "ALLOCATE_DISK",
          toSizeGiB: sizeGiB,
          idempotencyKey,
          requestedBy: viewer.userId,
        },
        tx,
      );
      return { volume, operationId: op.id };
    });
    if (!started) return (await this.replay(repo, "CREATE", idempotencyKey!, (op, v) => v.name === name && op.toSizeGiB === sizeGiB))!;
    const { volume, operationId } = started;
    this.deps.pubsub.publish("STORAGE_VOLUME_CHANGED", workspace.id, volume);
    void this.deps.sagas.run(operationId);
    return volume;
  }

  async expand(viewer: Viewer, input: { id: string; sizeGiB: number; idempotencyKey?: string | null }): Promise<StorageVolumeRecord> {
    const current = await this.get(viewer, input.id);
    const { workspace } = await this.deps.workspaces.requireAdmin(viewer, current.workspaceId);
    WorkspaceService.requireDedicatedPlan(workspace);
    const sizeGiB = validateSizeGiB(input.sizeGiB);
    const idempotencyKey = validateIdempotencyKey(input.idempotencyKey);
    const repo = this.repo(workspace.id);
    if (idempotencyKey) {
      const replay = await this.replay(repo, "EXPAND", idempotencyKey, (op) => op.volumeId === current.id && op.toSizeGiB === sizeGiB);
      if (replay) return replay;
    }

    this.requireSettled(current, "expand");
    // Host space is read outside the transaction: a platform call must not hold the workspace lock. If another
    // request takes the space meanwhile, Proxmox refuses the resize and the saga rolls back cleanly.
    if (sizeGiB > current.sizeGiB) {
      await this.requireHostSpace(current.node!, sizeGiB - current.sizeGiB);
      await this.requireClaimQuota(workspace, current, sizeGiB - current.sizeGiB);
    }

    const { volume, operationId } = await this.deps.db.transaction(async (tx) => {
      await repo.lockWorkspace(tx);
      const volume = (await repo.get(current.id, tx))!;
      this.requireSettled(volume, "expand");
      if (sizeGiB < volume.sizeGiB) {
        throw invalidInput("sizeGiB", `Volumes cannot shrink: '${volume.name}' is ${volume.sizeGiB} GiB, so ask for more than that.`);
      }
      if (sizeGiB === volume.sizeGiB) {
        throw invalidInput("sizeGiB", `'${volume.name}' is already ${volume.sizeGiB} GiB; ask for a larger size to expand it.`);
      }
      await this.requireWithinCeiling(workspace, repo, sizeGiB - volume.sizeGiB, tx);
      const op = await repo.insertOperation(
        {
          volumeId: volume.id,
          kind: "EXPAND",
          state: "RUNNING",
          step: "RESIZE_DISK",
          fromSizeGiB: volume.sizeGiB,
          toSizeGiB: sizeGiB,
          idempotencyKey,
          requestedBy: viewer.userId,
        },
        tx,
      );
      return { volume: await repo.update(volume.id, { status: "EXPANDING", failureReason: null }, tx), operationId: op.id };
    });
    this.deps.pubsub.publish("STORAGE_VOLUME_CHANGED", workspace.id, volume);
    void this.deps.sagas.run(operationId);
    return volume;
  }

  /** The live backups writing into the volume: while there are any, it cannot be deleted. */
  backupWriters(volume: StorageVolumeRecord) {
    return new BackupRepository(this.deps.db, volume.workspaceId).usingVolume(volume.id);
  }

  async delete(viewer: Viewer, id: string, options: { confirmRestorePoints?: boolean } = {}): Promise<StorageVolumeRecord> {
    const current = await this.get(viewer, id);
    const { workspace } = await this.deps.workspaces.requireAdmin(viewer, current.workspaceId);
    const repo = this.repo(workspace.id);
    if (current.status === "FAILED") {
      // A failed volume was rolled back already: nothing exists on the platforms to remove.
      const volume = await repo.update(current.id, { status: "DELETED" });
      this.deps.pubsub.publish("STORAGE_VOLUME_CHANGED", workspace.id, volume);
      return volume;
    }
    this.requireSettled(current, "delete");
    const writers = await new BackupRepository(this.deps.db, workspace.id).usingVolume(current.id);
    if (writers.length) {
      throw conflict(
        `'${current.name}' ${writersRole(current.id, writers)}; delete or re-point ${writers.length === 1 ? "it" : "them"} first.`,
      );
    }
    const notice = await restorePointsNotice(this.deps.db, current);
    if (notice && !options.confirmRestorePoints) throw conflict(notice, "confirmRestorePoints");
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    // A claim HKS made for its own Backups is HKS's to remove, never a reason to refuse.
    await this.deps.catalog?.releaseClaims(client, workspace.id, current);
    const pv = await client.read<Parameters<typeof boundClaim>[0]>({
      ...PERSISTENT_VOLUME,
      metadata: { name: current.persistentVolumeName },
    });
    const claim = pv && boundClaim(pv);
    if (claim && !(await isReleasedManagedClaim(client, current, claim))) {
      throw conflict(
        `'${current.name}' is in use: its PersistentVolume is bound to the claim ${claim.namespace}/${claim.name}. Delete that PersistentVolumeClaim first, then delete the volume.`,
      );
    }
    const { volume, operationId } = await this.deps.db.transaction(async (tx) => {
      const volume = (await repo.get(current.id, tx))!;
      this.requireSettled(volume, "delete");
      const op = await repo.insertOperation(
        {
          volumeId: volume.id,
          kind: "DELETE",
          state: "RUNNING",
          step: "REMOVE_KUBERNETES_OBJECTS",
          fromSizeGiB: volume.sizeGiB,
          requestedBy: viewer.userId,
        },
        tx,
      );
      return { volume: await repo.update(volume.id, { status: "DELETING", failureReason: null }, tx), operationId: op.id };
    });
    this.deps.pubsub.publish("STORAGE_VOLUME_CHANGED", workspace.id, volume);
    void this.deps.sagas.run(operationId);
    return volume;
  }

  async find(workspace: WorkspaceWithPlan, id: string): Promise<StorageVolumeRecord | undefined> {
    return UUID.test(id) ? this.repo(workspace.id).get(id) : undefined;
  }

  async requestedSizeGiB(volume: StorageVolumeRecord): Promise<number | null> {
    if (volume.status !== "EXPANDING") return null;
    const op = await this.repo(volume.workspaceId).latestOperation(volume.id);
    return op?.kind === "EXPAND" ? op.toSizeGiB : null;
  }

  /** Live changes of one workspace's volumes, for its members only. */
  async subscribe(viewer: Viewer, workspaceId: string) {
    await this.deps.workspaces.requireMember(viewer, workspaceId);
    return this.deps.pubsub.subscribe("STORAGE_VOLUME_CHANGED", workspaceId);
  }

  async summary(workspace: WorkspaceWithPlan) {
    const [provisionedGiB, monthlyCents] = await Promise.all([
      this.repo(workspace.id).provisionedGiB(),
      new BillingRepository(this.deps.db, workspace.id).monthlyCents(),
    ]);
    return {
      provisionedGiB,
      planLimitGiB: workspace.plan.storageCeilingGiB,
      availableGiB: Math.max(0, workspace.plan.storageCeilingGiB - provisionedGiB),
      monthlyCost: monthlyCents / 100,
      currency: workspace.plan.currency,
    };
  }

  private repo(workspaceId: string): VolumeRepository {
    return new VolumeRepository(this.deps.db, workspaceId);
  }

  /** A repeated request with the same idempotency key answers with what the first one did. */
  private async replay(
    repo: VolumeRepository,
    kind: "CREATE" | "EXPAND",
    key: string,
    sameRequest: (op: VolumeOperationRecord, volume: StorageVolumeRecord) => boolean,
  ): Promise<StorageVolumeRecord | undefined> {
    const op = await repo.operationByKey(kind, key);
    if (!op) return undefined;
    const volume = (await repo.get(op.volumeId))!;
    if (!sameRequest(op, volume)) {
      throw conflict("This idempotency key was already used for a different request; use a new key for a new request.", "idempotencyKey");
    }
    return volume;
  }

  private requireSettled(volume: StorageVolumeRecord, action: "expand" | "delete"): void {
    if (BUSY.has(volume.status)) {
      throw conflict(`'${volume.name}' is ${volume.status.toLowerCase()} right now; wait until it is available, then ${action} it.`);
    }
    if (volume.status === "DELETED") throw conflict(`'${volume.name}' has been deleted.`);
    if (volume.status === "FAILED") {
      throw conflict(
        `'${volume.name}' failed to provision (${volume.failureReason ?? "no reason recorded"}); delete it and create a new one.`,
      );
    }
  }

  private async requireWithinCeiling(workspace: WorkspaceWithPlan, repo: VolumeRepository, addGiB: number, db: Database): Promise<void> {
    const provisioned = (await repo.provisionedGiB(db)) + (await repo.pendingGrowthGiB(db));
    const ceiling = workspace.plan.storageCeilingGiB;
    if (provisioned + addGiB > ceiling) {
      throw new DomainError(
        ErrorCode.QUOTA_EXCEEDED,
        `That would bring '${workspace.name}' to ${provisioned + addGiB} GiB, over its ${workspace.plan.name} plan limit of ${ceiling} GiB (${Math.max(0, ceiling - provisioned)} GiB left). Choose a smaller size, free space by deleting a volume, or raise the plan limit.`,
        { field: "sizeGiB", limitGiB: ceiling, provisionedGiB: provisioned },
      );
    }
  }

  /** The claim that mounts the volume grows with it, so its namespace's quota must have the room (checked before any step). */
  private async requireClaimQuota(workspace: WorkspaceWithPlan, volume: StorageVolumeRecord, addGiB: number): Promise<void> {
    const client = this.deps.vclusters.forName(workspace.vclusterName);
    const pv = await client.read<Parameters<typeof boundClaim>[0]>({
      ...PERSISTENT_VOLUME,
      metadata: { name: volume.persistentVolumeName },
    });
    const claim = pv && boundClaim(pv);
    if (!claim) return;
    const headroom = await storageQuotaHeadroom(client, claim.namespace, volume.storageClassName);
    if (headroom && headroom.remainingBytes < addGiB * GiB) {
      throw new DomainError(
        ErrorCode.QUOTA_EXCEEDED,
        `'${volume.name}' is mounted by the claim ${claim.namespace}/${claim.name}, and the namespace quota '${headroom.quota}' of '${claim.namespace}' has only ${Math.floor(headroom.remainingBytes / GiB)} GiB of storage requests left, less than the ${addGiB} GiB this expansion adds. Raise that namespace's quota first, or choose a smaller size.`,
        { field: "sizeGiB" },
      );
    }
  }

  /** The node whose storage has the most free space, if it fits the disk (checked before anything is allocated). */
  private async placement(sizeGiB: number, avoidNode?: string): Promise<StorageCapacity> {
    const all = await this.deps.proxmox.capacities().catch((error: unknown) => {
      throw new DomainError(
        ErrorCode.PLATFORM_UNAVAILABLE,
        `Proxmox cannot be reached to place the volume, so nothing was created: ${String((error as Error).message)}`,
      );
    });
    const candidates = all.filter((c) => c.node !== avoidNode);
    if (avoidNode && !candidates.length)
      throw invalidInput(
        "notOnNodeOfVolumeId",
        `No online Proxmox node other than ${avoidNode} offers the storage; a volume off that node cannot be made now.`,
      );
    const best = candidates[0];
    if (!best) {
      throw new DomainError(ErrorCode.PLATFORM_UNAVAILABLE, `No online Proxmox node offers the storage '${this.deps.proxmox.storage}'.`);
    }
    if (best.availBytes < sizeGiB * GiB) {
      throw new DomainError(
        ErrorCode.QUOTA_EXCEEDED,
        `The Proxmox storage '${best.storage}' has only ${Math.floor(best.availBytes / GiB)} GiB free on its emptiest node (${best.node}), less than the ${sizeGiB} GiB asked for. Choose a smaller size or ask the operator to add capacity.`,
        { field: "sizeGiB" },
      );
    }
    return best;
  }

  private async requireHostSpace(node: string, addGiB: number): Promise<void> {
    const capacity = await this.deps.proxmox.capacity(node);
    if (capacity && capacity.availBytes < addGiB * GiB) {
      throw new DomainError(
        ErrorCode.QUOTA_EXCEEDED,
        `The Proxmox storage '${capacity.storage}' on ${node} has only ${Math.floor(capacity.availBytes / GiB)} GiB free, less than the ${addGiB} GiB this expansion adds. Choose a smaller size or ask the operator to add capacity.`,
        { field: "sizeGiB" },
      );
    }
  }
}

/** The node of the volume a new one must not share a node with (notOnNodeOfVolumeId). */
async function avoidedNode(repo: VolumeRepository, volumeId: string): Promise<string> {
  const volume = /^[0-9a-f-]{36}$/i.test(volumeId) ? await repo.get(volumeId) : undefined;
  if (!volume || volume.status === "DELETED" || !volume.node)
    throw invalidInput("notOnNodeOfVolumeId", "That Storage Volume does not exist in this workspace (or has no node yet).");
  return volume.node;
}

/** What the volume is to the Backups writing to it: their destination, or where their off-node copy is kept. */
function writersRole(volumeId: string, writers: BackupRecord[]): string {
  const named = (list: BackupRecord[]) =>
    `${list.length === 1 ? "the backup" : "the backups"} ${list.map((b) => `'${b.name}'`).join(", ")}`;
  const destinationOf = writers.filter((b) => b.destinationVolumeId === volumeId);
  const copyOf = writers.filter((b) => b.destinationVolumeId !== volumeId);
  return [
    destinationOf.length ? `is the destination of ${named(destinationOf)}` : "",
    copyOf.length ? `holds the off-node copy of ${named(copyOf)}` : "",
  ]
    .filter(Boolean)
    .join(" and ");
}
