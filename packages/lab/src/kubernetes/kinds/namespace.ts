import { defineKind } from "./kind.js";

export const namespaceKind = defineKind({
  group: "",
  version: "v1",
  kind: "Namespace",
  plural: "namespaces",
  singular: "namespace",
  shortNames: ["ns"],
  namespaced: false,
  nameRule: "label",
  statusSubresource: true,
  deleteReturnsObject: true,
  openapiName: "io.k8s.api.core.v1.Namespace",
  fieldSelectors: { "status.phase": (o) => o.status?.phase },
  defaults(obj) {
    // The apiserver stamps this label so namespace selectors can match by name.
    const name = obj.metadata.name;
    if (name) obj.metadata.labels = { ...obj.metadata.labels, "kubernetes.io/metadata.name": name };
    obj.spec = { finalizers: ["kubernetes"], ...obj.spec };
  },
  prepareForCreate(obj) {
    obj.status = { phase: "Active" };
  },
  columns: [{ name: "Status", type: "string", description: "The status of the namespace", cell: (o) => o.status?.phase ?? "" }],
});
