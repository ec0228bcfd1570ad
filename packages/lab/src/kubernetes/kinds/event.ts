import { humanAge, defineKind } from "./kind.js";
import { required } from "./validation.js";

export const eventKind = defineKind({
  group: "",
  version: "v1",
  kind: "Event",
  plural: "events",
  singular: "event",
  shortNames: ["ev"],
  namespaced: true,
  openapiName: "io.k8s.api.core.v1.Event",
  // kubectl describe finds an object's events with these.
  fieldSelectors: {
    "involvedObject.kind": (o) => (o.involvedObject as { kind?: string } | undefined)?.kind ?? "",
    "involvedObject.namespace": (o) => (o.involvedObject as { namespace?: string } | undefined)?.namespace ?? "",
    "involvedObject.name": (o) => (o.involvedObject as { name?: string } | undefined)?.name ?? "",
    "involvedObject.uid": (o) => (o.involvedObject as { uid?: string } | undefined)?.uid ?? "",
    "involvedObject.apiVersion": (o) => (o.involvedObject as { apiVersion?: string } | undefined)?.apiVersion ?? "",
    "involvedObject.resourceVersion": (o) => (o.involvedObject as { resourceVersion?: string } | undefined)?.resourceVersion ?? "",
    "involvedObject.fieldPath": (o) => (o.involvedObject as { fieldPath?: string } | undefined)?.fieldPath ?? "",
    reason: (o) => String(o.reason ?? ""),
    reportingComponent: (o) => String(o.reportingComponent ?? ""),
    source: (o) => String((o.source as { component?: string } | undefined)?.component ?? ""),
    type: (o) => String(o.type ?? ""),
  },
  defaults(obj) {
    if (obj.type === undefined) obj.type = "Normal";
  },
  validate(obj) {
    return obj.involvedObject ? [] : [required("involvedObject")];
  },
  columns: [
    { name: "Type", type: "string", cell: (o) => String(o.type ?? "") },
    { name: "Reason", type: "string", cell: (o) => String(o.reason ?? "") },
    {
      name: "Object",
      type: "string",
      cell: (o) => {
        const io = (o.involvedObject ?? {}) as { kind?: string; name?: string };
        return `${(io.kind ?? "").toLowerCase()}/${io.name ?? ""}`;
      },
    },
    { name: "Message", type: "string", cell: (o) => String(o.message ?? "") },
    {
      name: "Last Seen",
      type: "string",
      cell: (o) => humanAge(String(o.lastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp ?? "")),
    },
  ],
});
