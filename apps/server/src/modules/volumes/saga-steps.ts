import type { Database } from "../../db/client.js";
import type { Logger } from "../../logger.js";
import { GiB } from "../../kernel/units.js";
import { PlatformError } from "../../platform/errors.js";
import { boundClaim, PERSISTENT_VOLUME, persistentVolumeManifest } from "../../platform/kubernetes/kinds/persistent-volume.js";
import { STORAGE_CLASS, storageClassManifest } from "../../platform/kubernetes/kinds/storage-class.js";
import { parseQuantity } from "../../platform/kubernetes/quantity.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { ProxmoxClient } from "../../platform/proxmox/client.js";
import { isReleasedManagedClaim } from "../backups/destination-claims.js";
import { BillingRepository } from "../billing/billing.repository.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import type { StorageVolumeRecord, VolumeOperationJournal, VolumeOperationRecord, VolumeRepository } from "./volume.repository.js";

type KubernetesObjectLike = { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };

/** What the steps of the volume sagas need from the runner. */
export interface StepDeps {
  db: Database;
  journal: VolumeOperationJournal;
  proxmox: ProxmoxClient;
  logger: Logger;
  csiDriver: string;
  instanceId: string;
}

export interface SagaContext {
  op: VolumeOperationRecord;
  volume: StorageVolumeRecord;
  workspace: WorkspaceWithPlan;
  volumes: VolumeRepository;
  vcluster: () => VClusterClient;
  /** Writes the volume and tells subscribers, so every state a saga passes through is seen live. */
  setVolume(patch: Parameters<VolumeRepository["update"]>[1], tx?: Database): Promise<StorageVolumeRecord>;
  /** Runs writes atomically; subscribers hear of the volume only once the transaction has committed. */
  transaction(fn: (tx: Database) => Promise<void>): Promise<void>;
}

export interface Step {
  name: string;
  /** What the step does, in words for a failure reason ("while <doing>"). */
  doing: string;
  forward(ctx: SagaContext): Promise<void>;
  /** Undoes the step; it may run after a partial forward, so it checks before it acts. */
  backward?(ctx: SagaContext): Promise<void>;
  /** Once this step is done the saga can only go forward (e.g. a disk grown cannot shrink). */
  pointOfNoReturn?: boolean;
}

/**
 * The steps of the provisioning, expansion and deletion sagas (spec 4.1), in order, each with its undo.
 * Every step is safe to repeat: a resumed saga runs the step it stopped at again.
 */
export function sagaSteps(deps: StepDeps, kind: VolumeOperationRecord["kind"]): Step[] {
  const { proxmox, db } = deps;
  const applyObjects = async (ctx: SagaContext, sizeGiB: number) => {
    const v = ctx.volume;
    const region = await proxmox.clusterRegion();
    const client = ctx.vcluster();
    await client.apply(
      storageClassManifest({
        name: v.storageClassName,
        volumeId: v.id,
        workspace: ctx.workspace.slug,
        csiDriver: deps.csiDriver,
        proxmoxStorage: v.storage!,
      }),
    );
    await client.apply(
      persistentVolumeManifest({
        name: v.persistentVolumeName,
        volumeId: v.id,
        workspace: ctx.workspace.slug,
        storageClassName: v.storageClassName,
        sizeGiB,
        csiDriver: deps.csiDriver,
        region,
        zone: v.node!,
        proxmoxStorage: v.storage!,
        diskName: v.diskName,
      }),
    );
  };
  const removeObjects = async (ctx: SagaContext) => {
    const client = ctx.vcluster();
    await client.delete({ ...PERSISTENT_VOLUME, metadata: { name: ctx.volume.persistentVolumeName } });
    await client.delete({ ...STORAGE_CLASS, metadata: { name: ctx.volume.storageClassName } });
  };
  const releaseDisk = async (ctx: SagaContext) => {
    const volid = ctx.volume.proxmoxVolumeId ?? (await proxmox.findDisk(ctx.volume.node!, ctx.volume.diskName))?.volid;
    if (volid) await proxmox.deleteDisk(ctx.volume.node!, volid);
  };
  const charge = (
    ctx: SagaContext,
    kind: "VOLUME_PROVISIONED" | "VOLUME_EXPANDED" | "VOLUME_RELEASED",
    sizeDeltaGiB: number,
    tx: Database,
  ) =>
    new BillingRepository(db, ctx.workspace.id).record(
      {
        volumeId: ctx.volume.id,
        operationId: ctx.op.id,
        kind,
        sizeDeltaGiB,
        monthlyCentsDelta: sizeDeltaGiB * ctx.workspace.plan.priceCentsPerGiBMonth,
        currency: ctx.workspace.plan.currency,
      },
      tx,
    );
  const succeed = (ctx: SagaContext, tx: Database) =>
    deps.journal.update(ctx.op.id, deps.instanceId, { state: "SUCCEEDED", error: null }, tx);

  switch (kind) {
    case "CREATE":
      return [
        {
          name: "ALLOCATE_DISK",
          doing: "allocating the disk on Proxmox",
          forward: async (ctx) => {
            for (const tried = new Set<string>(); ;) {
              const existing = await proxmox.findDisk(ctx.volume.node!, ctx.volume.diskName);
              try {
                const volid = existing?.volid ?? (await proxmox.allocateDisk(ctx.volume.node!, ctx.volume.diskName, ctx.volume.sizeGiB));
                await ctx.setVolume({ proxmoxVolumeId: volid });
                return;
              } catch (error) {
                // Placement read the free space before concurrent requests took it: when Proxmox refuses because
                // this node has no room left but another has, the disk goes there (recorded before it is allocated,
                // so a resumed saga looks on the right node). Not after a timeout: that allocation may still land.
                if (!(error instanceof PlatformError) || error.transient) throw error;
                tried.add(ctx.volume.node!);
                if (await proxmox.findDisk(ctx.volume.node!, ctx.volume.diskName)) continue;
                const fits = (await proxmox.capacities()).filter((c) => c.availBytes >= ctx.volume.sizeGiB * GiB);
                const next = fits.find((c) => !tried.has(c.node));
                if (fits.some((c) => c.node === ctx.volume.node) || !next) throw error;
                deps.logger.info("volume placed on another node: the first had no room left", {
                  volumeId: ctx.volume.id,
                  from: ctx.volume.node,
                  to: next.node,
                });
                await ctx.setVolume({ node: next.node, storage: next.storage });
              }
            }
          },
          backward: releaseDisk,
        },
        {
          name: "CREATE_KUBERNETES_OBJECTS",
          doing: "creating the StorageClass and PersistentVolume in the vCluster",
          forward: (ctx) => applyObjects(ctx, ctx.volume.sizeGiB),
          backward: removeObjects,
        },
        {
          name: "ACTIVATE",
          doing: "recording the charge",
          forward: (ctx) =>
            ctx.transaction(async (tx) => {
              await charge(ctx, "VOLUME_PROVISIONED", ctx.volume.sizeGiB, tx);
              await ctx.setVolume({ status: "AVAILABLE", failureReason: null }, tx);
              await succeed(ctx, tx);
            }),
        },
      ];
    case "EXPAND":
      return [
        {
          name: "RESIZE_DISK",
          doing: "resizing the disk on Proxmox",
          forward: (ctx) => proxmox.resizeDisk(ctx.volume.node!, ctx.volume.proxmoxVolumeId!, ctx.op.toSizeGiB!),
          backward: (ctx) => proxmox.detachFromHolder(ctx.volume.node!, ctx.volume.proxmoxVolumeId!),
          pointOfNoReturn: true,
        },
        {
          name: "UPDATE_PERSISTENT_VOLUME",
          doing: "updating the PersistentVolume's capacity",
          forward: (ctx) => applyObjects(ctx, ctx.op.toSizeGiB!),
        },
        {
          // A bound claim asks for the new size too, so the CSI driver grows the filesystem the pod sees.
          name: "RESIZE_CLAIM",
          doing: "growing the claim that mounts the volume",
          forward: async (ctx) => {
            const client = ctx.vcluster();
            const pv = await client.read<Parameters<typeof boundClaim>[0]>({
              ...PERSISTENT_VOLUME,
              metadata: { name: ctx.volume.persistentVolumeName },
            });
            const claim = pv && boundClaim(pv);
            if (!claim) return;
            const current = await client.read<{ spec?: { resources?: { requests?: Record<string, string> } } } & KubernetesObjectLike>({
              apiVersion: "v1",
              kind: "PersistentVolumeClaim",
              metadata: claim,
            });
            if (parseQuantity(current?.spec?.resources?.requests?.["storage"]) >= ctx.op.toSizeGiB! * GiB) return;
            await client.mergePatch(
              { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: claim },
              { spec: { resources: { requests: { storage: `${ctx.op.toSizeGiB}Gi` } } } },
            );
          },
        },
        {
          name: "ACTIVATE",
          doing: "recording the charge",
          forward: (ctx) =>
            ctx.transaction(async (tx) => {
              await charge(ctx, "VOLUME_EXPANDED", ctx.op.toSizeGiB! - ctx.op.fromSizeGiB!, tx);
              await ctx.setVolume({ status: "AVAILABLE", sizeGiB: ctx.op.toSizeGiB!, failureReason: null }, tx);
              await succeed(ctx, tx);
            }),
        },
      ];
    case "DELETE":
      return [
        {
          name: "REMOVE_KUBERNETES_OBJECTS",
          doing: "removing the PersistentVolume and StorageClass from the vCluster",
          forward: async (ctx) => {
            const client = ctx.vcluster();
            const pv = await client.read<Parameters<typeof boundClaim>[0]>({
              ...PERSISTENT_VOLUME,
              metadata: { name: ctx.volume.persistentVolumeName },
            });
            const claim = pv && boundClaim(pv);
            // A claim HKS made and already deleted may still show on the PV until Kubernetes releases it.
            if (claim && !(await isReleasedManagedClaim(client, ctx.volume, claim)))
              throw new Error(`the PersistentVolume is bound to claim ${claim.namespace}/${claim.name}`);
            await removeObjects(ctx);
          },
          backward: (ctx) => applyObjects(ctx, ctx.volume.sizeGiB),
        },
        { name: "RELEASE_DISK", doing: "deleting the disk on Proxmox", forward: releaseDisk },
        {
          name: "FINALIZE",
          doing: "closing the charge",
          forward: (ctx) =>
            ctx.transaction(async (tx) => {
              await charge(ctx, "VOLUME_RELEASED", -ctx.volume.sizeGiB, tx);
              await ctx.setVolume({ status: "DELETED" }, tx);
              await succeed(ctx, tx);
            }),
        },
      ];
  }
}
