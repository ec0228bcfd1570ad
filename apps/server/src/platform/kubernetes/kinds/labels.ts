/** Labels on every object HKS creates in a vCluster, so an operator (and HKS) can tell them apart. */
export const MANAGED_BY = { "app.kubernetes.io/managed-by": "hks" } as const;
export const VOLUME_ID_LABEL = "storage.hks.io/volume-id";
export const WORKSPACE_LABEL = "storage.hks.io/workspace";
export const FIELD_MANAGER = "hks";
