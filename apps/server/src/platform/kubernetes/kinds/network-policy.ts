import type { V1NetworkPolicy } from "@kubernetes/client-node";
import type { Manifest } from "./cron-job.js";

export const NETWORK_POLICY = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", namespaced: true } as const;

/**
 * A policy that lets only the pods `from` selects reach one TCP port of the pods `to` selects, and nothing else reach
 * them at all: once a policy selects a pod for Ingress, the network plugin drops every connection no policy allows.
 * Kubernetes only stores the object; a plugin that implements NetworkPolicy (Calico, Cilium, ...) enforces it, and in a
 * vCluster only when it syncs network policies to the host.
 */
export function ingressOnlyFromManifest(spec: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  to: Record<string, string>;
  from: Record<string, string>;
  port: number;
}): Manifest<V1NetworkPolicy> {
  return {
    apiVersion: NETWORK_POLICY.apiVersion,
    kind: NETWORK_POLICY.kind,
    metadata: { name: spec.name, namespace: spec.namespace, labels: spec.labels },
    spec: {
      podSelector: { matchLabels: spec.to },
      policyTypes: ["Ingress"],
      // client-node's model spells `from` as `_from` (a keyword in its generator); its serializer sends `from`.
      ingress: [{ _from: [{ podSelector: { matchLabels: spec.from } }], ports: [{ protocol: "TCP", port: spec.port }] }],
    },
  };
}
