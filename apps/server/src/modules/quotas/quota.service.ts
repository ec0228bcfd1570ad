import type { V1PersistentVolumeClaim, V1ResourceQuota } from "@kubernetes/client-node";
import type { Viewer } from "../../kernel/viewer.js";
import { invalidInput } from "../../kernel/errors.js";
import { PERSISTENT_VOLUME_CLAIM } from "../../platform/kubernetes/kinds/persistent-volume-claim.js";
import { HKS_QUOTA_NAME, quotaKeys, RESOURCE_QUOTA, resourceQuotaManifest } from "../../platform/kubernetes/kinds/resource-quota.js";
import { parseQuantity } from "../../platform/kubernetes/quantity.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import { validateLimits, validateStorageClassName, type QuotaLimits } from "./validation.js";
import { bytesToGiB } from "../../kernel/units.js";

export interface StorageClassQuotaView {
  storageClassName: string;
  requestsStorageGiB: number | null;
  usedStorageGiB: number;
  maxPersistentVolumeClaims: number | null;
  usedPersistentVolumeClaims: number;
}

export interface NamespaceQuotaView {
  namespace: string;
  configured: boolean;
  requestsStorageGiB: number | null;
  usedStorageGiB: number;
  maxPersistentVolumeClaims: number | null;
  usedPersistentVolumeClaims: number;
  storageClassLimits: StorageClassQuotaView[];
}

export interface SetNamespaceQuota extends QuotaLimits {
  workspaceId: string;
  namespace: string;
  storageClassLimits?: Array<QuotaLimits & { storageClassName: string }> | null;
}

/**
 * Namespace storage quotas (spec 4.2) are Kubernetes ResourceQuotas in the workspace's vCluster;
 * the vCluster is their source of truth, so they are read from it, never copied into our database.
 */
export class QuotaService {
  constructor(
    private readonly workspaces: WorkspaceService,
    private readonly vclusters: VClusters,
  ) {}

  async list(workspace: WorkspaceWithPlan): Promise<NamespaceQuotaView[]> {
    const client = this.vclusters.forName(workspace.vclusterName);
    const [quotas, claims] = await Promise.all([
      client.list<V1ResourceQuota>(RESOURCE_QUOTA.apiVersion, RESOURCE_QUOTA.kind, undefined, "app.kubernetes.io/managed-by=hks"),
      client.list<V1PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIM.apiVersion, PERSISTENT_VOLUME_CLAIM.kind),
    ]);
    return workspace.namespaces.map((namespace) =>
      toView(
        namespace,
        quotas.find((q) => q.metadata?.namespace === namespace && q.metadata?.name === HKS_QUOTA_NAME),
        claims.filter((c) => c.metadata?.namespace === namespace),
      ),
    );
  }

  async set(viewer: Viewer, input: SetNamespaceQuota): Promise<NamespaceQuotaView> {
    const { workspace } = await this.workspaces.requireAdmin(viewer, input.workspaceId);
    if (!workspace.namespaces.includes(input.namespace)) {
      throw invalidInput(
        "namespace",
        `'${input.namespace}' is not a namespace of '${workspace.name}' (its namespaces: ${workspace.namespaces.join(", ") || "none"}).`,
      );
    }
    const hard: Record<string, string> = {};
    const top = validateLimits(input);
    if (top.requestsStorageGiB != null) hard[quotaKeys.storage] = gibQuantity(top.requestsStorageGiB);
    if (top.maxPersistentVolumeClaims != null) hard[quotaKeys.claims] = String(top.maxPersistentVolumeClaims);
    const seen = new Set<string>();
    (input.storageClassLimits ?? []).forEach((limit, i) => {
      const field = `storageClassLimits.${i}.`;
      const sc = validateStorageClassName(limit.storageClassName, `${field}storageClassName`);
      if (seen.has(sc)) throw invalidInput(`${field}storageClassName`, `The StorageClass '${sc}' is listed twice.`);
      seen.add(sc);
      const l = validateLimits(limit, field);
      if (l.requestsStorageGiB != null) hard[quotaKeys.classStorage(sc)] = gibQuantity(l.requestsStorageGiB);
      if (l.maxPersistentVolumeClaims != null) hard[quotaKeys.classClaims(sc)] = String(l.maxPersistentVolumeClaims);
    });

    const client = this.vclusters.forName(workspace.vclusterName);
    const header = { ...RESOURCE_QUOTA, metadata: { name: HKS_QUOTA_NAME, namespace: input.namespace } };
    const claims = () =>
      client.list<V1PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIM.apiVersion, PERSISTENT_VOLUME_CLAIM.kind, input.namespace);
    if (Object.keys(hard).length === 0) {
      await client.delete(header);
      return toView(input.namespace, undefined, await claims());
    }
    // Delete-then-apply would open a window with no quota; apply replaces the hard limits in one write.
    await client.apply(resourceQuotaManifest(input.namespace, hard));
    return toView(input.namespace, await client.read<V1ResourceQuota>(header), await claims());
  }
}

const gibQuantity = (gib: number) => (Number.isInteger(gib) ? `${gib}Gi` : `${Math.round(gib * 1024)}Mi`);
const gibOf = (value: string | undefined) => (value === undefined ? null : bytesToGiB(parseQuantity(value)));
const countOf = (value: string | undefined) => (value === undefined ? null : Math.round(parseQuantity(value)));

/** What the namespace's claims request: the figure a quota counts, whether or not a quota exists yet. */
function claimUsage(claims: V1PersistentVolumeClaim[], storageClassName?: string) {
  const counted = claims.filter(
    (c) => !c.metadata?.deletionTimestamp && (storageClassName === undefined || c.spec?.storageClassName === storageClassName),
  );
  const bytes = counted.reduce((sum, c) => sum + parseQuantity(c.spec?.resources?.requests?.["storage"] ?? "0"), 0);
  return { usedStorageGiB: bytesToGiB(bytes), usedPersistentVolumeClaims: counted.length };
}

function toView(namespace: string, quota: V1ResourceQuota | undefined, claims: V1PersistentVolumeClaim[]): NamespaceQuotaView {
  const hard = quota?.spec?.hard ?? {};
  const classes = new Set(
    Object.keys(hard)
      .map((k) => /^(.+)\.storageclass\.storage\.k8s\.io\//.exec(k)?.[1])
      .filter((k): k is string => !!k),
  );
  return {
    namespace,
    configured: !!quota,
    requestsStorageGiB: gibOf(hard[quotaKeys.storage]),
    maxPersistentVolumeClaims: countOf(hard[quotaKeys.claims]),
    ...claimUsage(claims),
    storageClassLimits: [...classes].sort().map((sc) => ({
      storageClassName: sc,
      requestsStorageGiB: gibOf(hard[quotaKeys.classStorage(sc)]),
      maxPersistentVolumeClaims: countOf(hard[quotaKeys.classClaims(sc)]),
      ...claimUsage(claims, sc),
    })),
  };
}
