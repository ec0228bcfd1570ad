import type { FieldError } from "../errors.js";
import { QUANTITY_PATTERN_MESSAGE, tryParseQuantity } from "../quantity.js";
import { isRecord } from "../types.js";

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

export function required(field: string, detail?: string): FieldError {
  return { type: "FieldValueRequired", field, message: detail ? `Required value: ${detail}` : "Required value" };
}

export function invalidValue(field: string, value: unknown, detail: string): FieldError {
  return { type: "FieldValueInvalid", field, message: `Invalid value: ${formatValue(value)}: ${detail}` };
}

export function forbiddenField(field: string, detail: string): FieldError {
  return { type: "FieldValueForbidden", field, message: `Forbidden: ${detail}` };
}

export function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  return {
    type: "FieldValueNotSupported",
    field,
    message: `Unsupported value: ${formatValue(value)}: supported values: ${supported.map((s) => `"${s}"`).join(", ")}`,
  };
}

function formatValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value) ?? "null";
}

export function validateDnsName(field: string, name: string, kind: "subdomain" | "label"): FieldError[] {
  const errors: FieldError[] = [];
  if (kind === "label") {
    if (name.length > 63) errors.push(invalidValue(field, name, "must be no more than 63 characters"));
    if (!DNS1123_LABEL.test(name)) errors.push(invalidValue(field, name, LABEL_MESSAGE));
  } else {
    if (name.length > 253) errors.push(invalidValue(field, name, "must be no more than 253 characters"));
    if (!DNS1123_SUBDOMAIN.test(name)) errors.push(invalidValue(field, name, SUBDOMAIN_MESSAGE));
  }
  return errors;
}

export function validateLabels(field: string, labels: unknown): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isRecord(labels)) return [invalidValue(field, labels, "must be a map of string keys to string values")];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : "";
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if ((slash >= 0 && !DNS1123_SUBDOMAIN.test(prefix)) || name.length > 63 || !QUALIFIED_NAME.test(name))
      errors.push(
        invalidValue(
          field,
          key,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ),
      );
    if (typeof value !== "string") errors.push(invalidValue(`${field}`, value, "label values must be strings"));
    else if (value.length > 63) errors.push(invalidValue(field, value, "must be no more than 63 characters"));
    else if (!LABEL_VALUE.test(value))
      errors.push(
        invalidValue(
          field,
          value,
          "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ),
      );
  }
  return errors;
}

/** Checks one quantity field; returns the problem or nothing. */
export function validateQuantity(field: string, value: unknown): FieldError[] {
  if (value === undefined || value === null || value === "") return [required(field)];
  if (!tryParseQuantity(value)) return [invalidValue(field, value, QUANTITY_PATTERN_MESSAGE)];
  return [];
}

export const ACCESS_MODES = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

export function validateAccessModes(field: string, modes: unknown): FieldError[] {
  if (!Array.isArray(modes) || modes.length === 0) return [required(field, "at least 1 access mode is required")];
  const errors: FieldError[] = [];
  for (const mode of modes) if (!ACCESS_MODES.includes(String(mode))) errors.push(notSupported(field, mode, ACCESS_MODES));
  if (modes.includes("ReadWriteOncePod") && modes.length > 1)
    errors.push(forbiddenField(field, "may not use ReadWriteOncePod with other access modes"));
  return errors;
}

/** Validates a pod spec at `base` (containers, restart policy) as far as the lab's kinds need it. */
export function validatePodSpec(base: string, spec: unknown, restartPolicies?: string[]): FieldError[] {
  if (!isRecord(spec)) return [required(base)];
  const errors: FieldError[] = [];
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) errors.push(required(`${base}.containers`));
  else
    containers.forEach((c: unknown, i) => {
      const container = isRecord(c) ? c : {};
      if (typeof container.name !== "string" || !container.name) errors.push(required(`${base}.containers[${i}].name`));
      else errors.push(...validateDnsName(`${base}.containers[${i}].name`, container.name, "label"));
      if (typeof container.image !== "string" || !container.image) errors.push(required(`${base}.containers[${i}].image`));
    });
  if (restartPolicies) {
    const policy = spec.restartPolicy;
    if (!restartPolicies.includes(String(policy)))
      errors.push(
        policy === undefined
          ? required(`${base}.restartPolicy`, `valid values: ${restartPolicies.map((p) => `"${p}"`).join(", ")}`)
          : notSupported(`${base}.restartPolicy`, policy, restartPolicies),
      );
  }
  return errors;
}

/** Reads a nested property without fighting `unknown` at every step. */
export function pathGet(obj: unknown, path: string): unknown {
  let current: unknown = obj;
  for (const part of path.split(".")) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}
