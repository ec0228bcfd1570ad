import type { FieldError } from "../errors.js";
import { isRecord } from "../types.js";
import { defineKind } from "./kind.js";
import { validateQuantity } from "./validation.js";

export const resourceQuotaKind = defineKind({
  group: "",
  version: "v1",
  kind: "ResourceQuota",
  plural: "resourcequotas",
  singular: "resourcequota",
  shortNames: ["quota"],
  namespaced: true,
  statusSubresource: true,
  openapiName: "io.k8s.api.core.v1.ResourceQuota",
  prepareForCreate(obj) {
    // The quota controller fills hard/used right after creation.
    obj.status = {};
  },
  validate(obj) {
    const errors: FieldError[] = [];
    const hard = isRecord(obj.spec) && isRecord(obj.spec.hard) ? obj.spec.hard : {};
    for (const [key, value] of Object.entries(hard)) errors.push(...validateQuantity(`spec.hard[${key}]`, value));
    return errors;
  },
  columns: [
    {
      name: "Request",
      type: "string",
      cell: (o) => {
        const hard: Record<string, string> = o.status?.hard ?? {};
        const used: Record<string, string> = o.status?.used ?? {};
        return Object.keys(hard)
          .filter((k) => !k.startsWith("limits."))
          .sort()
          .map((k) => `${k}: ${used[k] ?? "0"}/${hard[k]}`)
          .join(", ");
      },
    },
    {
      name: "Limit",
      type: "string",
      cell: (o) => {
        const hard: Record<string, string> = o.status?.hard ?? {};
        const used: Record<string, string> = o.status?.used ?? {};
        return Object.keys(hard)
          .filter((k) => k.startsWith("limits."))
          .sort()
          .map((k) => `${k}: ${used[k] ?? "0"}/${hard[k]}`)
          .join(", ");
      },
    },
  ],
});
