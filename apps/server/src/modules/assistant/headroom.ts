import { GiB } from "../../kernel/units.js";

export type Suggestion = { sizeGiB: number; limitedBy?: string } | { blocked: string };

/** How far ahead a proposed size lasts unless the workspace sets its own forecast days (see workspaces/forecast-days.ts). */
export const EXPANSION_DAYS = 90;

/** A size as a person would round it: to 10 GiB under 100, to 50 under 1000, to 100 above. */
export function tidySize(gib: number): number {
  const step = gib < 100 ? 10 : gib < 1000 ? 50 : 100;
  return Math.ceil(gib / step) * step;
}

/**
 * The size to propose: enough that what the volume will hold over the next EXPANSION_DAYS (its backups' projected
 * peak, or today's data when nothing projects it) fills at most 70%, rounded to a tidy size, and only what can succeed: within the plan's ceiling and
 * the Proxmox storage's free space. When nothing can, say what blocks it.
 */
export function suggestExpansion(input: {
  sizeGiB: number;
  usedBytes: number;
  /** The projected peak over EXPANSION_DAYS, when the volume's Backups project one. */
  neededBytes?: number;
  planName: string;
  planRemainingGiB: number;
  storageFreeGiB: number;
  /** Room left under the quota of the namespace whose claim mounts the volume (a claim resize counts against it). */
  quotaRemainingGiB?: { gib: number; namespace: string } | null;
}): Suggestion {
  const neededGiB = Math.max(input.usedBytes, input.neededBytes ?? 0) / GiB;
  const wanted = Math.max(tidySize(input.sizeGiB + 1), tidySize(neededGiB / 0.7));
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
