import { defineKind } from "./kind.js";
import { validatePodSpec } from "./validation.js";

export const podKind = defineKind({
  group: "",
  version: "v1",
  kind: "Pod",
  plural: "pods",
  singular: "pod",
  shortNames: ["po"],
  categories: ["all"],
  namespaced: true,
  statusSubresource: true,
  deleteReturnsObject: true,
  openapiName: "io.k8s.api.core.v1.Pod",
  fieldSelectors: {
    "spec.nodeName": (o) => o.spec?.nodeName ?? "",
    "status.phase": (o) => o.status?.phase ?? "",
    "spec.restartPolicy": (o) => o.spec?.restartPolicy ?? "",
  },
  defaults(obj) {
    obj.spec = { restartPolicy: "Always", dnsPolicy: "ClusterFirst", schedulerName: "default-scheduler", terminationGracePeriodSeconds: 30, ...obj.spec };
  },
  prepareForCreate(obj) {
    // Nothing schedules or runs pods in the lab; they stay Pending unless a lab controller says otherwise.
    obj.status = { phase: "Pending", qosClass: "BestEffort" };
  },
  validate(obj) {
    return validatePodSpec("spec", obj.spec, ["Always", "OnFailure", "Never"]);
  },
  columns: [
    {
      name: "Ready",
      type: "string",
      cell: (o) => {
        const total = Array.isArray(o.spec?.containers) ? o.spec.containers.length : 0;
        const ready = Array.isArray(o.status?.containerStatuses) ? o.status.containerStatuses.filter((c: { ready?: boolean }) => c.ready).length : 0;
        return `${ready}/${total}`;
      },
    },
    { name: "Status", type: "string", cell: (o) => o.status?.phase ?? "" },
    { name: "Restarts", type: "string", cell: () => "0" },
  ],
});
