import type { KubeObject } from "../types.js";
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
    obj.spec = {
      restartPolicy: "Always",
      dnsPolicy: "ClusterFirst",
      schedulerName: "default-scheduler",
      terminationGracePeriodSeconds: 30,
      ...obj.spec,
    };
  },
  prepareForCreate(obj) {
    // The lab's scheduler and kubelet (controllers/pods.ts) take it from here.
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
        const ready = Array.isArray(o.status?.containerStatuses)
          ? o.status.containerStatuses.filter((c: { ready?: boolean }) => c.ready).length
          : 0;
        return `${ready}/${total}`;
      },
    },
    { name: "Status", type: "string", cell: (o) => podStatusText(o) },
    {
      name: "Restarts",
      type: "string",
      cell: (o) =>
        String((o.status?.containerStatuses ?? []).reduce((n: number, c: { restartCount?: number }) => n + Number(c.restartCount ?? 0), 0)),
    },
  ],
});

/** kubectl's STATUS column: the pod reason, else a waiting/terminated container reason, else the phase. */
function podStatusText(o: KubeObject): string {
  if (o.status?.reason) return String(o.status.reason);
  let text = String(o.status?.phase ?? "");
  for (const c of o.status?.containerStatuses ?? []) {
    const waiting = c?.state?.waiting?.reason;
    const terminated = c?.state?.terminated;
    if (waiting && waiting !== "") text = waiting;
    else if (terminated)
      text = terminated.reason || (terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`);
  }
  return text;
}
