import type { FieldError } from "../errors.js";
import { deepEqual } from "../types.js";
import { defineKind } from "./kind.js";
import { forbiddenField, invalidValue, notSupported, required } from "./validation.js";
import { DEFAULT_CLASS_ANNOTATION } from "./persistent-volume-claim.js";

const BINDING_MODES = ["Immediate", "WaitForFirstConsumer"];

export const storageClassKind = defineKind({
  group: "storage.k8s.io",
  version: "v1",
  kind: "StorageClass",
  plural: "storageclasses",
  singular: "storageclass",
  shortNames: ["sc"],
  namespaced: false,
  openapiName: "io.k8s.api.storage.v1.StorageClass",
  defaults(obj) {
    if (obj.reclaimPolicy === undefined) obj.reclaimPolicy = "Delete";
    if (obj.volumeBindingMode === undefined) obj.volumeBindingMode = "Immediate";
  },
  validate(obj) {
    const errors: FieldError[] = [];
    if (typeof obj.provisioner !== "string" || !obj.provisioner) errors.push(required("provisioner"));
    if (!["Retain", "Delete"].includes(String(obj.reclaimPolicy)))
      errors.push(notSupported("reclaimPolicy", obj.reclaimPolicy, ["Delete", "Retain"]));
    if (!BINDING_MODES.includes(String(obj.volumeBindingMode)))
      errors.push(notSupported("volumeBindingMode", obj.volumeBindingMode, BINDING_MODES));
    return errors;
  },
  validateUpdate(obj, old) {
    const errors: FieldError[] = [];
    if (!deepEqual(obj.parameters ?? {}, old.parameters ?? {}))
      errors.push(forbiddenField("parameters", "updates to parameters are forbidden."));
    if (obj.provisioner !== old.provisioner) errors.push(forbiddenField("provisioner", "updates to provisioner are forbidden."));
    if (obj.reclaimPolicy !== old.reclaimPolicy) errors.push(forbiddenField("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
    if (obj.volumeBindingMode !== old.volumeBindingMode)
      errors.push(invalidValue("volumeBindingMode", obj.volumeBindingMode, "field is immutable"));
    return errors;
  },
  columns: [
    { name: "Provisioner", type: "string", cell: (o) => String(o.provisioner ?? "") },
    { name: "ReclaimPolicy", type: "string", cell: (o) => String(o.reclaimPolicy ?? "") },
    { name: "VolumeBindingMode", type: "string", cell: (o) => String(o.volumeBindingMode ?? "") },
    { name: "AllowVolumeExpansion", type: "string", cell: (o) => String(o.allowVolumeExpansion === true) },
  ],
});

export function isDefaultClass(obj: { metadata: { annotations?: Record<string, string> } }): boolean {
  return obj.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true";
}
