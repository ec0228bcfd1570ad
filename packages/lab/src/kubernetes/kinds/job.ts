import { isRecord } from "../types.js";
import { defineKind } from "./kind.js";
import { validatePodSpec } from "./validation.js";

export const jobKind = defineKind({
  group: "batch",
  version: "v1",
  kind: "Job",
  plural: "jobs",
  singular: "job",
  categories: ["all"],
  namespaced: true,
  statusSubresource: true,
  generation: true,
  openapiName: "io.k8s.api.batch.v1.Job",
  fieldSelectors: { "status.successful": (o) => String(o.status?.succeeded ?? 0) },
  defaults(obj) {
    obj.spec = { backoffLimit: 6, completions: 1, parallelism: 1, completionMode: "NonIndexed", suspend: false, ...obj.spec };
  },
  prepareForCreate(obj) {
    obj.status = {};
  },
  validate(obj) {
    const template = isRecord(obj.spec) && isRecord(obj.spec.template) ? obj.spec.template.spec : undefined;
    return validatePodSpec("spec.template.spec", template, ["OnFailure", "Never"]);
  },
  columns: [
    {
      name: "Status",
      type: "string",
      cell: (o) => {
        const conditions: Array<{ type: string; status: string }> = o.status?.conditions ?? [];
        const done = conditions.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
        return done ? done.type : o.spec?.suspend ? "Suspended" : "Running";
      },
    },
    { name: "Completions", type: "string", cell: (o) => `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}` },
    { name: "Duration", type: "string", cell: () => "" },
  ],
});
