import { paramError } from "./errors.js";

// A tiny subset of PVE's JSON-schema parameter checking. PVE validates path and body parameters
// together and reports every offending parameter at once under `errors`, with these exact texts.
export type ParamSpec =
  | { type: "string"; optional?: boolean; pattern?: RegExp; enum?: readonly string[]; maxLength?: number }
  | { type: "integer"; optional?: boolean; minimum?: number; maximum?: number; vmid?: boolean }
  | { type: "boolean"; optional?: boolean };

export type Schema = Record<string, ParamSpec>;

export type Params = Record<string, string>;

export interface Checked {
  str(name: string): string;
  optStr(name: string): string | undefined;
  int(name: string): number;
  optInt(name: string): number | undefined;
  bool(name: string): boolean;
  has(name: string): boolean;
  /** Parameters that matched `dynamic` (e.g. `scsi1`), in the order received. */
  dynamic: Array<[string, string]>;
}

const VMID = /^[1-9][0-9]{2,8}$/;

function checkOne(name: string, value: string, spec: ParamSpec): string | undefined {
  switch (spec.type) {
    case "integer": {
      if (spec.vmid) return VMID.test(value) ? undefined : "value does not look like a valid VM ID";
      if (!/^-?\d+$/.test(value)) return `type check ('integer') failed - got '${value}'`;
      const n = Number(value);
      if (spec.minimum !== undefined && n < spec.minimum) return `value must have a minimum value of ${spec.minimum}`;
      if (spec.maximum !== undefined && n > spec.maximum) return `value must have a maximum value of ${spec.maximum}`;
      return undefined;
    }
    case "boolean":
      return /^(0|1|true|false|yes|no|on|off)$/i.test(value) ? undefined : `type check ('boolean') failed - got '${value}'`;
    case "string":
      if (spec.enum && !spec.enum.includes(value))
        return `value '${value}' does not have a value in the enumeration '${spec.enum.join(", ")}'`;
      if (spec.pattern && !spec.pattern.test(value)) return "value does not match the regex pattern";
      if (spec.maxLength !== undefined && value.length > spec.maxLength) return `value may only be ${spec.maxLength} characters long`;
      return undefined;
  }
  void name;
}

/**
 * Validates `params` against `schema`; unknown parameters are refused like PVE does (no additional
 * properties) unless `dynamic` accepts them.
 */
export function checkParams(params: Params, schema: Schema, dynamic?: (name: string) => ParamSpec | undefined): Checked {
  const errors: Record<string, string> = {};
  const extra: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(params)) {
    const spec = schema[name] ?? dynamic?.(name);
    if (!spec) {
      errors[name] = "property is not defined in schema and the schema does not allow additional properties";
      continue;
    }
    const problem = checkOne(name, value, spec);
    if (problem) errors[name] = problem;
    else if (!schema[name]) extra.push([name, value]);
  }
  for (const [name, spec] of Object.entries(schema)) {
    if (!spec.optional && params[name] === undefined && errors[name] === undefined)
      errors[name] = "property is missing and it is not optional";
  }
  if (Object.keys(errors).length > 0) throw paramError(errors);
  const get = (name: string): string => {
    const v = params[name];
    if (v === undefined) throw new Error(`parameter ${name} not validated as required`);
    return v;
  };
  return {
    str: get,
    optStr: (name) => params[name],
    int: (name) => Number(get(name)),
    optInt: (name) => (params[name] === undefined ? undefined : Number(params[name])),
    bool: (name) => /^(1|true|yes|on)$/i.test(params[name] ?? "0"),
    has: (name) => params[name] !== undefined,
    dynamic: extra,
  };
}
