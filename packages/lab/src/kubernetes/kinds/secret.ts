import type { FieldError } from "../errors.js";
import { isRecord } from "../types.js";
import { defineKind } from "./kind.js";
import { invalidValue } from "./validation.js";

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const KEY = /^[-._a-zA-Z0-9]+$/;

function validateKeys(field: string, data: unknown, base64: boolean): FieldError[] {
  if (data === undefined || data === null) return [];
  if (!isRecord(data)) return [invalidValue(field, data, "must be a map of keys to values")];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(data)) {
    if (!KEY.test(key) || key.length > 253)
      errors.push(
        invalidValue(
          field,
          key,
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        ),
      );
    if (typeof value !== "string") errors.push(invalidValue(`${field}[${key}]`, value, "must be a string"));
    else if (base64 && (value.length % 4 !== 0 || !BASE64.test(value)))
      errors.push(invalidValue(`${field}[${key}]`, "<secret contents redacted>", "illegal base64 data"));
  }
  return errors;
}

/** core/v1 Secret: `stringData` is folded into base64 `data` on every write, as the apiserver does. */
export const secretKind = defineKind({
  group: "",
  version: "v1",
  kind: "Secret",
  plural: "secrets",
  singular: "secret",
  namespaced: true,
  openapiName: "io.k8s.api.core.v1.Secret",
  fieldSelectors: { type: (o) => String(o.type ?? "") },
  defaults(obj) {
    if (obj.type === undefined || obj.type === "") obj.type = "Opaque";
    if (isRecord(obj.stringData)) {
      const data: Record<string, string> = isRecord(obj.data) ? (obj.data as Record<string, string>) : {};
      for (const [key, value] of Object.entries(obj.stringData)) data[key] = Buffer.from(String(value), "utf8").toString("base64");
      obj.data = data;
    }
    delete obj.stringData;
  },
  validate(obj) {
    return validateKeys("data", obj.data, true);
  },
  validateUpdate(obj, old) {
    if (old.immutable === true && JSON.stringify(obj.data ?? {}) !== JSON.stringify(old.data ?? {}))
      return [{ type: "FieldValueForbidden", field: "data", message: "Forbidden: field is immutable when `immutable` is set" }];
    if ((obj.type ?? "Opaque") !== (old.type ?? "Opaque")) return [invalidValue("type", obj.type, "field is immutable")];
    return [];
  },
  columns: [
    { name: "Type", type: "string", cell: (o) => String(o.type ?? "") },
    { name: "Data", type: "integer", cell: (o) => (isRecord(o.data) ? Object.keys(o.data).length : 0) },
  ],
});

export const configMapKind = defineKind({
  group: "",
  version: "v1",
  kind: "ConfigMap",
  plural: "configmaps",
  singular: "configmap",
  shortNames: ["cm"],
  namespaced: true,
  openapiName: "io.k8s.api.core.v1.ConfigMap",
  validate(obj) {
    return [...validateKeys("data", obj.data, false), ...validateKeys("binaryData", obj.binaryData, true)];
  },
  validateUpdate(obj, old) {
    if (old.immutable === true && JSON.stringify([obj.data, obj.binaryData]) !== JSON.stringify([old.data, old.binaryData]))
      return [{ type: "FieldValueForbidden", field: "data", message: "Forbidden: field is immutable when `immutable` is set" }];
    return [];
  },
  columns: [
    {
      name: "Data",
      type: "integer",
      cell: (o) => (isRecord(o.data) ? Object.keys(o.data).length : 0) + (isRecord(o.binaryData) ? Object.keys(o.binaryData).length : 0),
    },
  ],
});
