import type { V1ResourceQuota } from "@kubernetes/client-node";
import { quotaKeys, RESOURCE_QUOTA } from "./kinds/resource-quota.js";
import { parseQuantity } from "./quantity.js";
import type { VClusterClient } from "./vcluster-client.js";

/**
 * How much more storage claims of a class may request in a namespace before a ResourceQuota refuses
 * (a claim resize counts against it): the least room left across the namespace's quotas, or null when
 * no quota limits it.
 */
export async function storageQuotaHeadroom(
  client: VClusterClient,
  namespace: string,
  storageClassName: string,
): Promise<{ remainingBytes: number; quota: string } | null> {
  const quotas = await client.list<V1ResourceQuota>(RESOURCE_QUOTA.apiVersion, RESOURCE_QUOTA.kind, namespace);
  let tightest: { remainingBytes: number; quota: string } | null = null;
  for (const q of quotas) {
    for (const key of [quotaKeys.storage, quotaKeys.classStorage(storageClassName)]) {
      const hard = q.status?.hard?.[key] ?? q.spec?.hard?.[key];
      if (hard === undefined) continue;
      const remaining = parseQuantity(hard) - parseQuantity(q.status?.used?.[key] ?? "0");
      if (!tightest || remaining < tightest.remainingBytes)
        tightest = { remainingBytes: Math.max(0, remaining), quota: q.metadata?.name ?? "?" };
    }
  }
  return tightest;
}
