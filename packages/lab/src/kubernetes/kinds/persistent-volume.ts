import type { FieldError } from "../errors.js";
import { canonicalQuantity, tryParseQuantity } from "../quantity.js";
import { deepEqual, isRecord, type KubeObject } from "../types.js";
import { defineKind, shortAccessModes } from "./kind.js";
import { forbiddenField, invalidValue, notSupported, required, validateAccessModes, validateQuantity } from "./validation.js";

/** The volume source fields of a PersistentVolumeSpec; exactly one must be set. */
export const VOLUME_SOURCES = [
  "csi",
  "hostPath",
  "local",
  "nfs",
  "iscsi",
  "rbd",
  "cephfs",
  "fc",
  "flexVolume",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "azureDisk",
  "azureFile",
  "vsphereVolume",
  "portworxVolume",
  "scaleIO",
  "storageos",
  "glusterfs",
  "cinder",
  "photonPersistentDisk",
  "quobyte",
  "flocker",
];

const RECLAIM_POLICIES = ["Retain", "Delete", "Recycle"];

export const persistentVolumeKind = defineKind({
  group: "",
  version: "v1",
  kind: "PersistentVolume",
  plural: "persistentvolumes",
  singular: "persistentvolume",
  shortNames: ["pv"],
  namespaced: false,
  statusSubresource: true,
  deleteReturnsObject: true,
  openapiName: "io.k8s.api.core.v1.PersistentVolume",
  defaults(obj) {
    obj.spec = { persistentVolumeReclaimPolicy: "Retain", volumeMode: "Filesystem", ...obj.spec };
  },
  prepareForCreate(obj) {
    // The binding controller moves it to Available (or Bound) right after.
    obj.status = { phase: "Pending" };
  },
  validate(obj) {
    const errors: FieldError[] = [];
    const spec = isRecord(obj.spec) ? obj.spec : {};
    if (!isRecord(spec.capacity) || Object.keys(spec.capacity).length === 0) errors.push(required("spec.capacity"));
    else errors.push(...validateQuantity("spec.capacity[storage]", spec.capacity.storage));
    errors.push(...validateAccessModes("spec.accessModes", spec.accessModes));
    const sources = VOLUME_SOURCES.filter((s) => spec[s] !== undefined && spec[s] !== null);
    if (sources.length === 0) errors.push(required("spec", "must specify a volume type"));
    if (sources.length > 1) errors.push(forbiddenField(`spec.${sources[1]}`, "may not specify more than 1 volume type"));
    if (isRecord(spec.csi)) {
      if (!spec.csi.driver) errors.push(required("spec.csi.driver"));
      if (!spec.csi.volumeHandle) errors.push(required("spec.csi.volumeHandle"));
    }
    if (spec.local !== undefined && !spec.nodeAffinity) errors.push(required("spec.nodeAffinity", "Local volume requires node affinity"));
    if (!RECLAIM_POLICIES.includes(String(spec.persistentVolumeReclaimPolicy)))
      errors.push(notSupported("spec.persistentVolumeReclaimPolicy", spec.persistentVolumeReclaimPolicy, RECLAIM_POLICIES));
    if (!["Filesystem", "Block"].includes(String(spec.volumeMode)))
      errors.push(notSupported("spec.volumeMode", spec.volumeMode, ["Block", "Filesystem"]));
    return errors;
  },
  validateUpdate(obj, old) {
    const errors: FieldError[] = [];
    const source = (o: KubeObject) =>
      Object.fromEntries(VOLUME_SOURCES.filter((s) => o.spec?.[s] !== undefined).map((s) => [s, o.spec[s]]));
    if (!deepEqual(source(obj), source(old)))
      errors.push(forbiddenField("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation"));
    if (old.spec?.volumeMode !== obj.spec?.volumeMode)
      errors.push(invalidValue("spec.volumeMode", obj.spec?.volumeMode, "field is immutable"));
    if (old.spec?.nodeAffinity !== undefined && !deepEqual(old.spec.nodeAffinity, obj.spec?.nodeAffinity))
      errors.push(invalidValue("spec.nodeAffinity", obj.spec?.nodeAffinity ?? null, "field is immutable"));
    return errors;
  },
  columns: [
    { name: "Capacity", type: "string", cell: (o) => capacityOf(o) },
    { name: "Access Modes", type: "string", cell: (o) => shortAccessModes(o.spec?.accessModes) },
    { name: "Reclaim Policy", type: "string", cell: (o) => o.spec?.persistentVolumeReclaimPolicy ?? "" },
    { name: "Status", type: "string", cell: (o) => o.status?.phase ?? "" },
    { name: "Claim", type: "string", cell: (o) => (o.spec?.claimRef ? `${o.spec.claimRef.namespace}/${o.spec.claimRef.name}` : "") },
    { name: "StorageClass", type: "string", cell: (o) => o.spec?.storageClassName ?? "" },
    { name: "VolumeAttributesClass", type: "string", cell: (o) => o.spec?.volumeAttributesClassName ?? "<unset>" },
    { name: "Reason", type: "string", cell: (o) => o.status?.reason ?? "" },
  ],
});

function capacityOf(o: KubeObject): string {
  const storage = o.spec?.capacity?.storage;
  return tryParseQuantity(storage) ? canonicalQuantity(String(storage)) : "";
}
