import type { V1Job, V1PersistentVolume, V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { JOB } from "../../platform/kubernetes/kinds/cron-job.js";
import { MANAGED_BY, VOLUME_ID_LABEL } from "../../platform/kubernetes/kinds/labels.js";
import { PERSISTENT_VOLUME } from "../../platform/kubernetes/kinds/persistent-volume.js";
import { PERSISTENT_VOLUME_CLAIM, volumeClaimManifest } from "../../platform/kubernetes/kinds/persistent-volume-claim.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { StorageVolumeRecord } from "../volumes/volume.repository.js";
import { claimThrough, type DestinationClaim } from "./backup-spec.js";

/**
 * The claims `hks-<volume>` HKS creates to mount a volume in an application's namespace are HKS's to clean up.
 * The volume's PV keeps its data (reclaim policy Retain); when its claim goes it is Released with a claimRef to the
 * gone claim, which neither Kubernetes nor the lab binds again. HKS clears that claimRef, so the PV is Available to
 * the next claim a Backup, restore or rescan makes.
 */
export async function ensureManagedClaim(
  client: VClusterClient,
  volume: StorageVolumeRecord,
  namespace: string,
): Promise<DestinationClaim> {
  const pv = await readVolume(client, volume);
  const claim = claimThrough(pv, volume, namespace);
  if (!claim.managed) return claim;
  if (pv?.status?.phase === "Released") await freeVolume(client, volume);
  await client.apply(
    volumeClaimManifest({
      name: claim.name,
      namespace,
      volumeId: volume.id,
      storageClassName: volume.storageClassName,
      persistentVolumeName: volume.persistentVolumeName,
      sizeGiB: volume.sizeGiB,
    }),
  );
  return claim;
}

/**
 * Deletes the claims HKS made for the volume in namespaces where nothing needs them now: no live Backup of an
 * application there writes to the volume (`keepIn`), and no unfinished Job there mounts the claim. Returns the
 * claims removed, as `namespace/name`.
 */
export async function releaseManagedClaims(
  client: VClusterClient,
  volume: StorageVolumeRecord,
  keepIn: ReadonlySet<string>,
): Promise<string[]> {
  const claims = await client.list<V1PersistentVolumeClaim>(
    PERSISTENT_VOLUME_CLAIM.apiVersion,
    PERSISTENT_VOLUME_CLAIM.kind,
    undefined,
    `app.kubernetes.io/managed-by=${MANAGED_BY["app.kubernetes.io/managed-by"]},${VOLUME_ID_LABEL}=${volume.id}`,
  );
  const removed: string[] = [];
  for (const claim of claims) {
    const namespace = claim.metadata?.namespace ?? "default";
    const name = claim.metadata?.name ?? "";
    // Only the destination claim HKS names after the volume; restore targets carry no volume label.
    if (name !== `hks-${volume.name}` || keepIn.has(namespace) || claim.metadata?.deletionTimestamp) continue;
    if (await mountedByUnfinishedJob(client, namespace, name)) continue;
    await client.delete({ ...PERSISTENT_VOLUME_CLAIM, metadata: { name, namespace } });
    removed.push(`${namespace}/${name}`);
  }
  if (removed.length) {
    const pv = await readVolume(client, volume);
    if (pv?.status?.phase === "Released") await freeVolume(client, volume);
  }
  return removed;
}

/** Whether a claim the PV is bound to is one HKS made and has let go of (deleted, or on its way out). */
export async function isReleasedManagedClaim(
  client: VClusterClient,
  volume: StorageVolumeRecord,
  ref: { namespace: string; name: string },
) {
  if (ref.name !== `hks-${volume.name}`) return false;
  const claim = await client.read<V1PersistentVolumeClaim>({ ...PERSISTENT_VOLUME_CLAIM, metadata: ref });
  return !claim || Boolean(claim.metadata?.deletionTimestamp);
}

function readVolume(client: VClusterClient, volume: StorageVolumeRecord) {
  return client.read<V1PersistentVolume>({ ...PERSISTENT_VOLUME, metadata: { name: volume.persistentVolumeName } });
}

/** Clears a Released PV's claimRef: the standard way to make a Retain volume (and its data) bindable again. */
async function freeVolume(client: VClusterClient, volume: StorageVolumeRecord): Promise<void> {
  await client.mergePatch({ ...PERSISTENT_VOLUME, metadata: { name: volume.persistentVolumeName } }, { spec: { claimRef: null } });
}

async function mountedByUnfinishedJob(client: VClusterClient, namespace: string, claimName: string): Promise<boolean> {
  const jobs = await client.list<V1Job>(
    JOB.apiVersion,
    JOB.kind,
    namespace,
    `app.kubernetes.io/managed-by=${MANAGED_BY["app.kubernetes.io/managed-by"]}`,
  );
  return jobs.some((job) => {
    const done = job.status?.conditions?.some((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
    return !done && (job.spec?.template.spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === claimName);
  });
}
