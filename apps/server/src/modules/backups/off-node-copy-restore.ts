import type { V1JobSpec, V1PersistentVolume, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import type { Database } from "../../db/client.js";
import { invalidInput } from "../../kernel/errors.js";
import { PERSISTENT_VOLUME } from "../../platform/kubernetes/kinds/persistent-volume.js";
import { PERSISTENT_VOLUME_CLAIM, volumeClaimManifest } from "../../platform/kubernetes/kinds/persistent-volume-claim.js";
import type { BackupScope } from "./backup-lookup.js";
import type { BackupRecord, BackupRunRecord } from "./backup.repository.js";
import { destinationClaim, destinationVolume, toBackupSpec } from "./backup-spec.js";
import type { BackupSpec } from "./translation.js";

/**
 * A restore that reads the off-node copy: the Job runs on the copy's node with the copy's claim, e.g. while the
 * primary's node is down. The target claim must be mountable there (a new claim is; a local disk on another node is not).
 */
export async function copyRestoreSpec(
  db: Database,
  scope: BackupScope,
  backup: BackupRecord,
  run: BackupRunRecord,
  existingTarget: string | null,
): Promise<BackupSpec> {
  if (!backup.copyVolumeId || !backup.copyPath)
    throw invalidInput("source", `'${backup.name}' has no off-node copy; restore from its destination (source PRIMARY).`);
  if (run.copyStatus !== "COPIED")
    throw invalidInput(
      "source",
      `This run's snapshot is not in the off-node copy (its copy is ${(run.copyStatus ?? "not made").toLowerCase()}): restore it from the destination (source PRIMARY), or pick a run whose copy is COPIED.`,
    );
  const volume = await destinationVolume(db, scope.workspace.id, backup.copyVolumeId).catch((error: Error) => {
    throw invalidInput("source", `The off-node copy's volume cannot be used: ${error.message}`);
  });
  const claim = await destinationClaim(scope.client, volume, scope.app.namespace);
  if (existingTarget) {
    const zones = await claimZones(scope, existingTarget);
    if (zones.length && volume.node && !zones.includes(volume.node))
      throw invalidInput(
        "targetPvcName",
        `The claim '${existingTarget}' lives on node ${zones.join("/")} and the off-node copy on ${volume.node}; local volumes cannot move between Proxmox nodes, so no pod can mount both. Restore the copy into a new claim (it is made where the copy is), or restore from the destination (source PRIMARY).`,
      );
  }
  if (claim.managed)
    await scope.client.apply(
      volumeClaimManifest({
        name: claim.name,
        namespace: scope.app.namespace,
        volumeId: volume.id,
        storageClassName: volume.storageClassName,
        persistentVolumeName: volume.persistentVolumeName,
        sizeGiB: volume.sizeGiB,
      }),
    );
  return toBackupSpec({ ...backup, destinationPath: backup.copyPath }, scope.app, volume, claim);
}

/** restic copy gives copied snapshots new ids: the function finds the copy of the run's snapshot by its original id. */
export function readsCopyOfSnapshot(spec: V1JobSpec): V1JobSpec {
  for (const c of spec.template.spec?.containers ?? []) c.env = [...(c.env ?? []), { name: "HKS_SNAPSHOT_OF_PRIMARY", value: "true" }];
  return spec;
}

/** A restore from the copy: the id its function read in the copy's repository, when it differs from the primary's. */
export function copySnapshotOf(run: Pick<BackupRunRecord, "kind" | "restoreSource" | "snapshot" | "result">): string | null {
  if (run.kind !== "RESTORE" || run.restoreSource !== "COPY") return null;
  const said = (run.result as { snapshot?: unknown } | null)?.snapshot;
  return typeof said === "string" && said !== run.snapshot ? said : null;
}

async function claimZones(scope: BackupScope, claimName: string): Promise<string[]> {
  const pvc = await scope.client.read<V1PersistentVolumeClaim>({
    ...PERSISTENT_VOLUME_CLAIM,
    metadata: { name: claimName, namespace: scope.app.namespace },
  });
  const pvName = pvc?.spec?.volumeName;
  if (!pvName) return [];
  const pv = await scope.client.read<V1PersistentVolume>({ ...PERSISTENT_VOLUME, metadata: { name: pvName } });
  return (pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms ?? [])
    .flatMap((t) => t.matchExpressions ?? [])
    .filter((e) => e.key === "topology.kubernetes.io/zone" && e.operator === "In")
    .flatMap((e) => e.values ?? []);
}
