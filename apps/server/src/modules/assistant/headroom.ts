import { GiB } from "../../kernel/units.js";

export type Suggestion = { sizeGiB: number; limitedBy?: string } | { blocked: string };

/**
 * The size to propose: enough that today's data fills at most 70% (room for the forecast growth and
 * the next backups), rounded to a tidy step, and only what can succeed: within the plan's ceiling and
 * the Proxmox storage's free space. When nothing can, say what blocks it.
 */
export function suggestExpansion(input: {
  sizeGiB: number;
  usedBytes: number;
  planName: string;
  planRemainingGiB: number;
  storageFreeGiB: number;
  /** Room left under the quota of the namespace whose claim mounts the volume (a claim resize counts against it). */
  quotaRemainingGiB?: { gib: number; namespace: string } | null;
}): Suggestion {
  const usedGiB = input.usedBytes / GiB;
  const step = input.sizeGiB >= 100 ? 50 : 5;
  const wanted = Math.max(input.sizeGiB + step, Math.ceil(usedGiB / 0.7 / step) * step);
  const planMax = input.sizeGiB + input.planRemainingGiB;
  const storageMax = input.sizeGiB + input.storageFreeGiB;
  const quotaMax = input.quotaRemainingGiB ? input.sizeGiB + Math.floor(input.quotaRemainingGiB.gib) : Number.POSITIVE_INFINITY;
  const max = Math.min(planMax, storageMax, quotaMax);
  if (max <= input.sizeGiB) {
    return {
      blocked:
        planMax <= input.sizeGiB
          ? `the workspace has used all of its ${input.planName} plan's storage; delete a volume or raise the plan limit first`
          : storageMax <= input.sizeGiB
            ? `the Proxmox storage has no free space left on the volume's node; ask the operator to add capacity`
            : `the storage quota of namespace '${input.quotaRemainingGiB!.namespace}', where a claim mounts it, is used up; raise that quota first`,
    };
  }
  if (wanted <= max) return { sizeGiB: wanted };
  const limitedBy =
    max === planMax
      ? `the ${input.planName} plan's limit`
      : max === storageMax
        ? "the Proxmox storage's free space"
        : `the quota of namespace '${input.quotaRemainingGiB!.namespace}'`;
  return { sizeGiB: max, limitedBy };
}
