import type { V1EnvVar, V1JobSpec } from "@kubernetes/client-node";
import { MANAGED_BY } from "../../platform/kubernetes/kinds/labels.js";
import { podSpec, type BackupSpec, type TranslationOptions } from "./translation.js";

/** The label that ties a catalog Job (rescan, forget) to its catalog_jobs row; the run tracker does not follow these. */
export const CATALOG_JOB_LABEL = "backup.hks.io/catalog-job";

const BACKUP_MOUNT = "/backup";

export interface CatalogJobInput {
  catalogJobId: string;
  claimName: string;
  /** The Proxmox node of the volume's disk: the pod must run there. */
  zone: string | null;
  namespace: string;
  /** catalog: read every repository under the volume's root; forget-backup: remove one Backup's snapshots from its repository. */
  mode: "catalog" | "forget-backup";
  /** forget-backup: the repository's folder and the Backup whose snapshots go. */
  repositoryPath?: string;
  backup?: { id: string; applicationId: string; name: string };
  /** catalog: short ids of snapshots HKS already knows, whose sizes need not be counted again. */
  knownSnapshots?: string[];
}

export const catalogJobLabels = (id: string) => ({ ...MANAGED_BY, [CATALOG_JOB_LABEL]: id });

/** A one-off Job of the backup functions (HKS_FORMAT=restic) that works on a volume's repositories, not on a Backup's source. */
export function catalogJobSpec(input: CatalogJobInput, options: TranslationOptions): V1JobSpec {
  const spec: BackupSpec = {
    id: input.backup?.id ?? "",
    applicationId: input.backup?.applicationId ?? "",
    name: input.backup?.name ?? "",
    namespace: input.namespace,
    schedule: "",
    timeZone: "UTC",
    suspended: false,
    concurrencyPolicy: "FORBID",
    sourcePvcName: null,
    destinationClaimName: input.claimName,
    destinationPath: input.repositoryPath ?? "",
    destinationZone: input.zone,
    functionKind: "TAR",
    format: "RESTIC",
    functionParams: {},
    retention: {},
    verifyAfterRun: false,
  };
  const dest = input.mode === "catalog" ? BACKUP_MOUNT : `${BACKUP_MOUNT}/${input.repositoryPath ?? ""}`;
  const env: V1EnvVar[] = [
    { name: "HKS_MODE", value: input.mode },
    { name: "HKS_DEST_DIR", value: dest },
    ...(input.knownSnapshots?.length ? [{ name: "HKS_KNOWN_SNAPSHOTS", value: input.knownSnapshots.join(",") }] : []),
  ];
  return {
    // A rescan or forget is started again by the admin, not retried blindly.
    backoffLimit: 0,
    activeDeadlineSeconds: options.activeDeadlineSeconds,
    ttlSecondsAfterFinished: options.ttlSecondsAfterFinished,
    template: {
      metadata: { labels: catalogJobLabels(input.catalogJobId) },
      spec: podSpec(spec, options, { env, volumes: [], mounts: [] }),
    },
  };
}
