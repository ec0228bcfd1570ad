import type { V1ResourceQuota } from "@kubernetes/client-node";
import { MANAGED_BY } from "./labels.js";

export const RESOURCE_QUOTA = { apiVersion: "v1", kind: "ResourceQuota", namespaced: true } as const;
/** The one ResourceQuota per namespace that HKS manages; quotas made by others are shown, not changed. */
export const HKS_QUOTA_NAME = "hks-storage";

export const quotaKeys = {
  storage: "requests.storage",
  claims: "persistentvolumeclaims",
  classStorage: (sc: string) => `${sc}.storageclass.storage.k8s.io/requests.storage`,
  classClaims: (sc: string) => `${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`,
};

export function resourceQuotaManifest(
  namespace: string,
  hard: Record<string, string>,
): V1ResourceQuota & { apiVersion: string; kind: string } {
  return {
    apiVersion: RESOURCE_QUOTA.apiVersion,
    kind: RESOURCE_QUOTA.kind,
    metadata: { name: HKS_QUOTA_NAME, namespace, labels: { ...MANAGED_BY } },
    spec: { hard },
  };
}
