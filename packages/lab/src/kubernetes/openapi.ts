import { createHash } from "node:crypto";
import type { KindRegistry } from "./kinds/index.js";
import type { KindDef } from "./kinds/kind.js";
import { componentSchemas } from "./openapi-models.js";

// kubectl reads OpenAPI v3 before `apply` (whether the server validates fields itself: a `fieldValidation` query
// parameter on the kind's PATCH operation; the strategic-merge keys) and for `explain`, finding each kind's schema by
// x-kubernetes-group-version-kind.

const META = "io.k8s.apimachinery.pkg.apis.meta.v1";

function gvk(def: KindDef) {
  return { group: def.group, version: def.version, kind: def.kind };
}

function queryParam(name: string, description: string) {
  return { name, in: "query", description, schema: { type: name === "force" ? "boolean" : "string" }, style: "form" };
}

const WRITE_PARAMS = [
  queryParam("dryRun", "When present, indicates that modifications should not be persisted."),
  queryParam("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes."),
  queryParam(
    "fieldValidation",
    "fieldValidation instructs the server on how to handle objects in the request containing unknown or duplicate fields.",
  ),
];

function ref(name: string) {
  return { $ref: `#/components/schemas/${name}` };
}

function operation(def: KindDef, action: string, verb: string, extraParams: unknown[] = [], body = false) {
  const op: Record<string, unknown> = {
    description: `${action} ${def.kind}`,
    operationId: `${verb}${def.kind}`,
    parameters: extraParams,
    responses: { "200": { description: "OK", content: { "application/json": { schema: ref(def.openapiName) } } } },
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": gvk(def),
  };
  if (body)
    op.requestBody = {
      content: Object.fromEntries(
        (action === "patch"
          ? [
              "application/json-patch+json",
              "application/merge-patch+json",
              "application/strategic-merge-patch+json",
              "application/apply-patch+yaml",
            ]
          : ["*/*"]
        ).map((t) => [t, { schema: action === "patch" ? ref(`${META}.Patch`) : ref(def.openapiName) }]),
      ),
      required: true,
    };
  return op;
}

const documents = new WeakMap<KindRegistry, Map<string, unknown>>();

/** A group-version's document (built once: its schemas are generated from client-node's models). */
export function openapiDocument(registry: KindRegistry, group: string, version: string): unknown | undefined {
  const built = documents.get(registry) ?? new Map<string, unknown>();
  documents.set(registry, built);
  const key = `${group}/${version}`;
  if (!built.has(key)) built.set(key, buildDocument(registry, group, version));
  return built.get(key);
}

function buildDocument(registry: KindRegistry, group: string, version: string): unknown | undefined {
  const kinds = registry.inGroupVersion(group, version);
  if (kinds.length === 0) return undefined;
  const root = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {
    ...componentSchemas(kinds),
    [`${META}.Patch`]: {
      type: "object",
      description: "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
    },
    [`${META}.Status`]: {
      type: "object",
      "x-kubernetes-preserve-unknown-fields": true,
      "x-kubernetes-group-version-kind": [{ group: "", version: "v1", kind: "Status" }],
    },
  };
  for (const def of kinds) {
    const prefix = def.namespaced ? `${root}/namespaces/{namespace}/${def.plural}` : `${root}/${def.plural}`;
    const pathParams = [
      ...(def.namespaced ? [{ name: "namespace", in: "path", required: true, schema: { type: "string" } }] : []),
      queryParam("pretty", "If 'true', then the output is pretty printed."),
    ];
    const writable = def.verbs.includes("create");
    paths[prefix] = {
      parameters: pathParams,
      get: operation(def, "list", "list"),
      ...(writable ? { post: operation(def, "post", "create", WRITE_PARAMS, true) } : {}),
    };
    paths[`${prefix}/{name}`] = {
      parameters: [{ name: "name", in: "path", required: true, schema: { type: "string" } }, ...pathParams],
      get: operation(def, "get", "read"),
      ...(writable
        ? {
            put: operation(def, "put", "replace", WRITE_PARAMS, true),
            patch: operation(
              def,
              "patch",
              "patch",
              [...WRITE_PARAMS, queryParam("force", 'Force is going to "force" Apply requests.')],
              true,
            ),
            delete: operation(def, "delete", "delete", [
              queryParam("dryRun", "When present, indicates that modifications should not be persisted."),
            ]),
          }
        : {}),
    };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.31.0" },
    paths,
    components: { schemas },
  };
}

/** The /openapi/v3 index: each group-version's document, addressed with a content hash as the real one does. */
export function openapiIndex(registry: KindRegistry): unknown {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const { group, version } of registry.groupVersions()) {
    const key = group ? `apis/${group}/${version}` : `api/${version}`;
    const hash = createHash("sha512")
      .update(JSON.stringify(openapiDocument(registry, group, version)))
      .digest("hex")
      .slice(0, 128)
      .toUpperCase();
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
  }
  return { paths };
}
