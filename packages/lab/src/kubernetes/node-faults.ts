import type { KubeStore } from "./store.js";

const UNREACHABLE = { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" };

/**
 * A Proxmox node going down, as Kubernetes shows it: the node controller marks it NotReady (Ready Unknown) and taints it
 * unreachable, and the node is cordoned, so nothing new schedules there (the lab's scheduler reads spec.unschedulable).
 * Local volumes pinned to that node cannot be mounted anywhere else: pods that need them stay Pending as Unschedulable.
 * `down: false` brings it back.
 */
export function setNodeDown(lab: { store: KubeStore }, node: string, down: boolean): void {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  lab.store.modify(
    "v1",
    "Node",
    undefined,
    node,
    (o) => {
      const taints = ((o.spec?.taints ?? []) as Array<{ key: string }>).filter((t) => t.key !== UNREACHABLE.key);
      o.spec = { ...o.spec, unschedulable: down || undefined, taints: down ? [...taints, { ...UNREACHABLE, timeAdded: now }] : taints };
      if (!o.spec.taints.length) delete o.spec.taints;
      if (!down) delete o.spec.unschedulable;
      o.status = {
        ...o.status,
        conditions: [
          down
            ? { type: "Ready", status: "Unknown", reason: "NodeStatusUnknown", message: "Kubelet stopped posting node status." }
            : { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
        ].map((c) => ({ ...c, lastHeartbeatTime: now, lastTransitionTime: now })),
      };
    },
    { scope: "all" },
  );
}
