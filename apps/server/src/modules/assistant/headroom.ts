const GiB = 1024 ** 3;

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
}): Suggestion {
  const usedGiB = input.usedBytes / GiB;
  const step = input.sizeGiB >= 100 ? 50 : 5;
  const wanted = Math.max(input.sizeGiB + step, Math.ceil(usedGiB / 0.7 / step) * step);
  const planMax = input.sizeGiB + input.planRemainingGiB;
  const storageMax = input.sizeGiB + input.storageFreeGiB;
  const max = Math.min(planMax, storageMax);
  if (max <= input.sizeGiB) {
    return {
      blocked:
        planMax <= input.sizeGiB
          ? `the workspace has used all of its ${input.planName} plan's storage; delete a volume or raise the plan limit first`
          : `the Proxmox storage has no free space left on the volume's node; ask the operator to add capacity`,
    };
  }
  if (wanted <= max) return { sizeGiB: wanted };
  return { sizeGiB: max, limitedBy: planMax <= storageMax ? `the ${input.planName} plan's limit` : "the Proxmox storage's free space" };
}
