import { createHash } from "node:crypto";

/** The host namespace a vCluster runs in (its synced objects live there). */
export const hostNamespace = (vcluster: string) => `vcluster-${vcluster}`;

/**
 * The name vCluster gives a synced PVC on the host (`translate.SafeConcatName`): `<pvc>-x-<ns>-x-<vcluster>`,
 * and past 63 characters its first 52 plus `-` and 10 hex of its sha256. Host kubelet metrics use this name.
 */
export function hostPvcName(vcluster: string, namespace: string, pvc: string): string {
  const full = [pvc, "x", namespace, "x", vcluster].join("-");
  const name = full.length > 63 ? `${full.slice(0, 52)}-${createHash("sha256").update(full).digest("hex").slice(0, 10)}` : full;
  return name.replace(/\.-/g, "-");
}
