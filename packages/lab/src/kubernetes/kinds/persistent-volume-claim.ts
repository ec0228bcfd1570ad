import { forbidden, type FieldError } from "../errors.js";
import { canonicalQuantity, tryParseQuantity } from "../quantity.js";
import { clone, deepEqual, isRecord, type KubeObject } from "../types.js";
import { defineKind, shortAccessModes } from "./kind.js";
import { forbiddenField, notSupported, required, validateAccessModes, validateQuantity } from "./validation.js";

export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

export function requestOf(pvc: KubeObject): string | undefined {
  const value = pvc.spec?.resources?.requests?.storage;
  return value === undefined ? undefined : String(value);
}

export const persistentVolumeClaimKind = defineKind({
  group: "",
  version: "v1",
  kind: "PersistentVolumeClaim",
  plural: "persistentvolumeclaims",
  singular: "persistentvolumeclaim",
  shortNames: ["pvc"],
  namespaced: true,
  statusSubresource: true,
  deleteReturnsObject: true,
  openapiName: "io.k8s.api.core.v1.PersistentVolumeClaim",
  defaults(obj, store, op) {
    obj.spec = { volumeMode: "Filesystem", ...obj.spec };
    // DefaultStorageClass admission: a claim that names no class gets the default one, at creation only.
    if (op === "create" && obj.spec.storageClassName === undefined) {
      // With several defaults, the newest wins (Kubernetes 1.26+), so a class a client marks default beats the seeded one.
      const fallback = store
        .list("storage.k8s.io/v1", "StorageClass")
        .filter((sc) => sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true")
        .sort(
          (a, b) =>
            String(b.metadata.creationTimestamp ?? "").localeCompare(String(a.metadata.creationTimestamp ?? "")) ||
            Number(b.metadata.resourceVersion ?? 0) - Number(a.metadata.resourceVersion ?? 0),
        )[0];
      if (fallback) obj.spec.storageClassName = fallback.metadata.name;
    }
  },
  prepareForCreate(obj) {
    obj.status = { phase: "Pending" };
  },
  validate(obj) {
    const errors: FieldError[] = [];
    const spec = isRecord(obj.spec) ? obj.spec : {};
    errors.push(...validateAccessModes("spec.accessModes", spec.accessModes));
    const requests = isRecord(spec.resources) && isRecord(spec.resources.requests) ? spec.resources.requests : undefined;
    if (!requests || requests.storage === undefined) errors.push(required("spec.resources[storage]"));
    else errors.push(...validateQuantity("spec.resources.requests[storage]", requests.storage));
    if (!["Filesystem", "Block"].includes(String(spec.volumeMode)))
      errors.push(notSupported("spec.volumeMode", spec.volumeMode, ["Block", "Filesystem"]));
    return errors;
  },
  validateUpdate(obj, old) {
    const errors: FieldError[] = [];
    const newSpec = clone(obj.spec ?? {});
    const oldSpec = clone(old.spec ?? {});
    // Binding fills in volumeName (and a late default class) once; those are not user edits.
    if (!oldSpec.volumeName && newSpec.volumeName) oldSpec.volumeName = newSpec.volumeName;
    if (oldSpec.storageClassName === undefined && newSpec.storageClassName !== undefined)
      oldSpec.storageClassName = newSpec.storageClassName;
    const bound = old.status?.phase === "Bound";
    if (bound) {
      oldSpec.resources = { ...oldSpec.resources, requests: newSpec.resources?.requests };
      oldSpec.volumeAttributesClassName = newSpec.volumeAttributesClassName;
    }
    if (!deepEqual(newSpec, oldSpec))
      errors.push(
        forbiddenField("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"),
      );
    else if (bound) {
      const before = tryParseQuantity(requestOf(old));
      const after = tryParseQuantity(requestOf(obj));
      if (before && after && after.cmp(before) < 0)
        errors.push(forbiddenField("spec.resources.requests.storage", "field can not be less than previous value"));
    }
    return errors;
  },
  admit(op, obj, old, store) {
    if (op !== "update" || !old) return;
    const before = tryParseQuantity(requestOf(old));
    const after = tryParseQuantity(requestOf(obj));
    if (!before || !after || after.cmp(before) <= 0) return;
    // PersistentVolumeClaimResize admission: growing needs a class that allows expansion.
    const className = obj.spec?.storageClassName;
    const sc = className ? store.get("storage.k8s.io/v1", "StorageClass", undefined, String(className)) : undefined;
    if (!sc || sc.allowVolumeExpansion !== true)
      throw forbidden(
        { group: "", plural: "persistentvolumeclaims", kind: "PersistentVolumeClaim" },
        obj.metadata.name ?? "",
        "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
      );
  },
  columns: [
    { name: "Status", type: "string", cell: (o) => o.status?.phase ?? "" },
    { name: "Volume", type: "string", cell: (o) => o.spec?.volumeName ?? "" },
    {
      name: "Capacity",
      type: "string",
      cell: (o) => (tryParseQuantity(o.status?.capacity?.storage) ? canonicalQuantity(String(o.status.capacity.storage)) : ""),
    },
    { name: "Access Modes", type: "string", cell: (o) => shortAccessModes(o.status?.accessModes) },
    { name: "StorageClass", type: "string", cell: (o) => o.spec?.storageClassName ?? "" },
    { name: "VolumeAttributesClass", type: "string", cell: (o) => o.spec?.volumeAttributesClassName ?? "<unset>" },
  ],
});
