import { defineKind } from "./kind.js";

export const nodeKind = defineKind({
  group: "",
  version: "v1",
  kind: "Node",
  plural: "nodes",
  singular: "node",
  shortNames: ["no"],
  namespaced: false,
  // Nodes are seeded by the lab from its Proxmox nodes; clients only read them.
  verbs: ["get", "list", "watch"],
  statusSubresource: true,
  openapiName: "io.k8s.api.core.v1.Node",
  fieldSelectors: { "spec.unschedulable": (o) => String(o.spec?.unschedulable ?? false) },
  columns: [
    {
      name: "Status",
      type: "string",
      cell: (o) => {
        const ready = (o.status?.conditions as Array<{ type: string; status: string }> | undefined)?.find((c) => c.type === "Ready");
        return ready?.status === "True" ? "Ready" : "NotReady";
      },
    },
    { name: "Roles", type: "string", cell: () => "<none>" },
    { name: "Version", type: "string", cell: (o) => o.status?.nodeInfo?.kubeletVersion ?? "" },
  ],
});

export function seedNode(name: string, region: string, zone: string) {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: {
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "topology.kubernetes.io/region": region,
        "topology.kubernetes.io/zone": zone,
      },
    },
    spec: {},
    status: {
      capacity: { cpu: "8", memory: "32Gi", pods: "110", "ephemeral-storage": "100Gi" },
      allocatable: { cpu: "8", memory: "32Gi", pods: "110", "ephemeral-storage": "100Gi" },
      conditions: [
        {
          type: "Ready",
          status: "True",
          reason: "KubeletReady",
          message: "kubelet is posting ready status",
          lastHeartbeatTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
          lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        },
      ],
      addresses: [{ type: "Hostname", address: name }],
      nodeInfo: {
        kubeletVersion: "v1.31.0",
        kubeProxyVersion: "v1.31.0",
        containerRuntimeVersion: "containerd://1.7.20",
        operatingSystem: "linux",
        architecture: "amd64",
        osImage: "Lab Linux",
        kernelVersion: "6.8.0",
        machineID: "",
        systemUUID: "",
        bootID: "",
      },
    },
  };
}
