import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as models from "@kubernetes/client-node";
import type { KindDef } from "./kinds/kind.js";

// The kinds' OpenAPI schemas, generated from @kubernetes/client-node's models (themselves generated from the
// apiserver's OpenAPI): each model's attribute type map gives fields and types, its .d.ts the descriptions and which
// fields are required. Hand-written schemas would drift from what real clients (kubectl explain/apply) expect.

export type Schema = Record<string, unknown>;

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

interface ModelClass {
  getAttributeTypeMap(): Attribute[];
}

const META_PACKAGE = "io.k8s.apimachinery.pkg.apis.meta.v1";
const META_TYPES = new Set([
  "ObjectMeta",
  "ListMeta",
  "LabelSelector",
  "LabelSelectorRequirement",
  "ManagedFieldsEntry",
  "OwnerReference",
  "Condition",
  "Status",
  "StatusDetails",
  "StatusCause",
  "DeleteOptions",
  "Preconditions",
]);
// Types of batch/v1, storage.k8s.io/v1 and networking.k8s.io/v1 reachable from the lab's kinds; everything else there is core/v1.
const GROUP_TYPES: Array<[RegExp, string]> = [
  [/^(CronJob|Job|PodFailurePolicy|SuccessPolicy|UncountedTerminatedPods)/, "io.k8s.api.batch.v1"],
  [/^StorageClass/, "io.k8s.api.storage.v1"],
  [/^(NetworkPolicy|IPBlock)/, "io.k8s.api.networking.v1"],
];
export const INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";

// The strategic-merge keys client-side `kubectl apply` needs (client-node's models do not carry them); lists not named
// here are replaced whole, as the apiserver does for atomic lists.
const MERGE_KEYS: Record<string, [string, string]> = {
  "PodSpec.containers": ["name", "merge"],
  "PodSpec.initContainers": ["name", "merge"],
  "PodSpec.volumes": ["name", "merge,retainKeys"],
  "PodSpec.imagePullSecrets": ["name", "merge"],
  "Container.env": ["name", "merge"],
  "Container.volumeMounts": ["mountPath", "merge"],
  "Container.ports": ["containerPort", "merge"],
  "ObjectMeta.ownerReferences": ["uid", "merge"],
  "PodStatus.conditions": ["type", "merge"],
  "JobStatus.conditions": ["type", "merge"],
  "PersistentVolumeClaimStatus.conditions": ["type", "merge"],
};

const registry = models as unknown as Record<string, ModelClass | undefined>;

function modelOf(className: string): ModelClass | undefined {
  const candidate = registry[className];
  return typeof candidate?.getAttributeTypeMap === "function" ? candidate : undefined;
}

/** client-node's class for a kind: `CoreV1Event` for io.k8s.api.core.v1.Event, else `V1CronJob`. */
function classOfKind(def: KindDef): string | undefined {
  const pkg = def.openapiName.split(".").at(-3) ?? "";
  const version = def.version.charAt(0).toUpperCase() + def.version.slice(1);
  const prefixed = `${pkg.charAt(0).toUpperCase()}${pkg.slice(1)}${version}${def.kind}`;
  if (modelOf(prefixed)) return prefixed;
  return modelOf(`${version}${def.kind}`) ? `${version}${def.kind}` : undefined;
}

/** The Go type name the apiserver uses, e.g. V1JobTemplateSpec → io.k8s.api.batch.v1.JobTemplateSpec. */
function openapiNameOf(className: string): string {
  const bare = className.replace(/^([A-Z][a-z]+)?V\d+((alpha|beta)\d+)?/, "");
  if (META_TYPES.has(bare)) return `${META_PACKAGE}.${bare}`;
  for (const [pattern, pkg] of GROUP_TYPES) if (pattern.test(bare)) return `${pkg}.${bare}`;
  return `io.k8s.api.core.v1.${bare}`;
}

let modelsDir: string | undefined;

/** Descriptions and required fields, read from the model's declaration file (its comments come from the API). */
function declarationOf(className: string): { description?: string; fields: Map<string, string>; required: Set<string> } {
  const fields = new Map<string, string>();
  const required = new Set<string>();
  try {
    modelsDir ??= path.join(path.dirname(createRequire(import.meta.url).resolve("@kubernetes/client-node")), "gen", "models");
    const text = readFileSync(path.join(modelsDir, `${className}.d.ts`), "utf8");
    const clean = (comment: string) =>
      comment
        .split("\n")
        .map((l) => l.replace(/^\s*\*\s?/, "").trim())
        .join(" ")
        .replace(/\\(["'])/g, "$1")
        .trim();
    const classDoc = /\/\*\*\n((?:(?!\*\/)[\s\S])*?)\*\/\s*export declare class/.exec(text);
    for (const m of text.matchAll(/(?:\/\*\*\n((?:(?!\*\/)[\s\S])*?)\*\/\s*)?'([^']+)'(\?)?:/g)) {
      const name = m[2] ?? "";
      if (m[1]) fields.set(name, clean(m[1]));
      if (!m[3]) required.add(name);
    }
    return { ...(classDoc?.[1] ? { description: clean(classDoc[1]) } : {}), fields, required };
  } catch {
    return { fields, required };
  }
}

/**
 * The component schemas for `defs` and every type they reach, keyed by OpenAPI name; each kind's schema carries
 * x-kubernetes-group-version-kind, which is how kubectl finds it.
 */
export function componentSchemas(defs: KindDef[]): Record<string, Schema> {
  const schemas: Record<string, Schema> = {};
  const pending: string[] = [];
  const nameOf = new Map<string, string>();
  const need = (className: string): string => {
    let name = nameOf.get(className);
    if (!name) {
      name = openapiNameOf(className);
      nameOf.set(className, name);
      pending.push(className);
    }
    return name;
  };
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

  const typeSchema = (type: string, format: string): Schema => {
    const array = /^Array<(.+)>$/.exec(type);
    if (array) return { type: "array", items: typeSchema(array[1] ?? "", "") };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) return { type: "object", additionalProperties: typeSchema(map[1] ?? "", format) };
    switch (type) {
      case "string":
        return format ? { type: "string", format } : { type: "string" };
      case "number":
        return format === "double" || format === "" ? { type: "number", ...(format ? { format } : {}) } : { type: "integer", format };
      case "boolean":
        return { type: "boolean" };
      case "Date":
        return { type: "string", format: "date-time" };
      case "any":
        return { type: "object", "x-kubernetes-preserve-unknown-fields": true };
      case "IntOrString":
        schemas[INT_OR_STRING] = { type: "string", format: "int-or-string" };
        return { allOf: [ref(INT_OR_STRING)] };
    }
    return modelOf(type) ? { allOf: [ref(need(type))] } : { type: "object", "x-kubernetes-preserve-unknown-fields": true };
  };

  const kindOf = new Map<string, KindDef>();
  for (const def of defs) {
    const className = classOfKind(def);
    if (!className) continue;
    nameOf.set(className, def.openapiName);
    pending.push(className);
    kindOf.set(className, def);
  }
  for (let className = pending.shift(); className; className = pending.shift()) {
    const model = modelOf(className);
    if (!model) continue;
    const doc = declarationOf(className);
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const attr of model.getAttributeTypeMap()) {
      const schema = typeSchema(attr.type, attr.format);
      const description = doc.fields.get(attr.name);
      const merge = MERGE_KEYS[`${(nameOf.get(className) ?? "").split(".").at(-1) ?? ""}.${attr.baseName}`];
      properties[attr.baseName] = {
        ...schema,
        ...(description ? { description } : {}),
        ...(merge ? { "x-kubernetes-patch-merge-key": merge[0], "x-kubernetes-patch-strategy": merge[1] } : {}),
      };
      if (doc.required.has(attr.name)) required.push(attr.baseName);
    }
    const def = kindOf.get(className);
    schemas[nameOf.get(className) ?? className] = {
      type: "object",
      ...(doc.description ? { description: doc.description } : {}),
      properties,
      ...(required.length ? { required } : {}),
      ...(def ? { "x-kubernetes-group-version-kind": [{ group: def.group, version: def.version, kind: def.kind }] } : {}),
    };
  }
  return schemas;
}

const bySingleKind = new Map<KindDef, { name: string; schemas: Record<string, Schema> }>();

/** One kind's schema and the types it reaches (built once per kind). */
export function kindSchemas(def: KindDef): { name: string; schemas: Record<string, Schema> } {
  let found = bySingleKind.get(def);
  if (!found) {
    found = { name: def.openapiName, schemas: componentSchemas([def]) };
    bySingleKind.set(def, found);
  }
  return found;
}
