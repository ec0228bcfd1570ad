import type { V1JobSpec } from "@kubernetes/client-node";
import { restoreJobSpec, type BackupSpec, type TranslationOptions } from "./translation.js";

/**
 * A restore of chosen paths of a snapshot into the backup's own claim: today's restore Job, with the functions'
 * HKS_INCLUDE (the paths, one per line) and HKS_RESTORE_INTO (a folder of the claim; unset: to their place).
 */
export function snapshotRestoreJobSpec(
  spec: BackupSpec,
  options: TranslationOptions,
  restore: { snapshot: string; claim: string; paths: string[]; into: string | null; overwrite: boolean },
): V1JobSpec {
  const job = restoreJobSpec(spec, options, { snapshot: restore.snapshot, targetClaim: restore.claim, overwrite: restore.overwrite });
  const container = job.template.spec!.containers[0]!;
  container.env = [
    ...(container.env ?? []),
    { name: "HKS_INCLUDE", value: restore.paths.join("\n") },
    { name: "HKS_RESTORE_CLAIM", value: restore.claim },
    ...(restore.into ? [{ name: "HKS_RESTORE_INTO", value: restore.into }] : []),
  ];
  return job;
}
