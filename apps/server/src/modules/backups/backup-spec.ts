import type { V1PersistentVolume } from "@kubernetes/client-node";
import type { Database } from "../../db/client.js";
import { invalidInput } from "../../kernel/errors.js";
import { PERSISTENT_VOLUME } from "../../platform/kubernetes/kinds/persistent-volume.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { ApplicationRecord } from "../applications/application.repository.js";
import { VolumeRepository, type StorageVolumeRecord } from "../volumes/volume.repository.js";
import type { BackupRecord } from "./backup.repository.js";
import type { BackupSpec } from "./translation.js";

/** How the destination volume reaches the application's namespace: through which claim, and whether HKS owns it. */
export interface DestinationClaim {
  name: string;
  /** HKS creates this claim (pinned to the volume's PV); an existing claim of the namespace is used as it is. */
  managed: boolean;
}

/**
 * Finds the claim that mounts the volume in the namespace. A PV binds to one claim only, so a volume
 * already claimed in another namespace cannot be mounted here; that is said plainly.
 */
export async function destinationClaim(client: VClusterClient, volume: StorageVolumeRecord, namespace: string): Promise<DestinationClaim> {
  const pv = await client.read<V1PersistentVolume>({ ...PERSISTENT_VOLUME, metadata: { name: volume.persistentVolumeName } });
  return claimThrough(pv, volume, namespace);
}

/** The same, from the volume's PV as already read (e.g. from one list of every PV). */
export function claimThrough(pv: V1PersistentVolume | undefined, volume: StorageVolumeRecord, namespace: string): DestinationClaim {
  const ref = pv?.spec?.claimRef;
  const managedName = `hks-${volume.name}`;
  if (ref?.name && pv?.status?.phase !== "Released") {
    if (ref.namespace === namespace) return { name: ref.name, managed: ref.name === managedName };
    throw invalidInput(
      "destination.volumeId",
      `'${volume.name}' is already claimed by ${ref.namespace}/${ref.name}; a volume is mounted through one claim, so it cannot also serve namespace '${namespace}'. Choose another volume, or back up this application into a folder of a volume claimed in '${namespace}'.`,
    );
  }
  return { name: managedName, managed: true };
}

export async function destinationVolume(db: Database, workspaceId: string, volumeId: string): Promise<StorageVolumeRecord> {
  const volume = /^[0-9a-f-]{36}$/i.test(volumeId) ? await new VolumeRepository(db, workspaceId).get(volumeId) : undefined;
  return usableDestination(volume);
}

/** The volume, if a backup can write to it now; otherwise the error that says why not. */
export function usableDestination(volume: StorageVolumeRecord | undefined): StorageVolumeRecord {
  if (!volume || volume.status === "DELETED")
    throw invalidInput("destination.volumeId", "That Storage Volume does not exist in this workspace.");
  if (volume.status === "FAILED" || volume.status === "PROVISIONING" || volume.status === "DELETING") {
    throw invalidInput("destination.volumeId", `'${volume.name}' is ${volume.status.toLowerCase()}; choose an available volume.`);
  }
  return volume;
}

export function toBackupSpec(
  backup: BackupRecord,
  app: ApplicationRecord,
  volume: StorageVolumeRecord,
  claim: DestinationClaim,
): BackupSpec {
  return {
    id: backup.id,
    applicationId: app.id,
    name: backup.name,
    namespace: app.namespace,
    schedule: backup.schedule,
    timeZone: backup.timeZone,
    suspended: backup.suspended,
    concurrencyPolicy: backup.concurrencyPolicy,
    sourcePvcName: backup.sourcePvcName,
    destinationClaimName: claim.name,
    destinationPath: backup.destinationPath,
    destinationZone: volume.node,
    functionKind: backup.functionKind,
    format: backup.format,
    functionParams: backup.functionParams,
    retention: backup.retention,
    verifyAfterRun: backup.verifyAfterRun,
  };
}
