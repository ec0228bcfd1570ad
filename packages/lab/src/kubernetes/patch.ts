import { StatusError } from "./errors.js";
import { clone, deepEqual, isRecord, now, type FieldSet, type KubeObject, type ManagedFieldsEntry } from "./types.js";

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return clone(patch);
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/**
 * Merge keys of the list fields the lab's kinds use (from the Go types' patchMergeKey tags); lists not named here
 * are replaced wholesale, which is what strategic merge does for atomic lists.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  ports: "containerPort",
  imagePullSecrets: "name",
  conditions: "type",
  ownerReferences: "uid",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
};
/** Primitive lists whose strategy is "merge" (union). */
const MERGE_PRIMITIVE_LISTS = new Set(["finalizers"]);

/** Strategic merge patch as kubectl and client-go produce it, for the fields the lab knows. */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return clone(patch);
  if (patch.$patch === "replace") {
    const { $patch: _p, ...rest } = patch;
    return clone(rest);
  }
  if (patch.$patch === "delete") return undefined;
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  const retainKeys = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$setElementOrder/") || key === "$retainKeys" || key === "$patch") continue;
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const field = key.slice("$deleteFromPrimitiveList/".length);
      const current = Array.isArray(result[field]) ? (result[field] as unknown[]) : [];
      result[field] = current.filter((item) => !(value as unknown[]).some((v) => deepEqual(v, item)));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const mergeKey = MERGE_KEYS[key];
    if (Array.isArray(value) && mergeKey && Array.isArray(result[key])) {
      result[key] = mergeList(result[key] as unknown[], value, mergeKey, patch[`$setElementOrder/${key}`]);
    } else if (Array.isArray(value) && MERGE_PRIMITIVE_LISTS.has(key) && Array.isArray(result[key])) {
      const merged = [...(result[key] as unknown[])];
      for (const item of value) if (!merged.some((m) => deepEqual(m, item))) merged.push(item);
      result[key] = merged;
    } else if (Array.isArray(value)) {
      result[key] = value.filter((item) => !(isRecord(item) && item.$patch === "delete")).map((item) => stripDirectives(item));
    } else {
      const merged = strategicMergePatch(result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    }
  }
  if (retainKeys) for (const key of Object.keys(result)) if (!retainKeys.includes(key)) delete result[key];
  return result;
}

function mergeList(current: unknown[], patch: unknown[], mergeKey: string, order: unknown): unknown[] {
  const result = current.map((item) => clone(item));
  for (const item of patch) {
    if (!isRecord(item)) continue;
    const index = result.findIndex((r) => isRecord(r) && r[mergeKey] === item[mergeKey]);
    if (item.$patch === "delete") {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) result[index] = strategicMergePatch(result[index], item);
    else result.push(stripDirectives(item));
  }
  if (Array.isArray(order)) {
    const rank = (item: unknown) => {
      const i = order.findIndex((o) => isRecord(o) && isRecord(item) && o[mergeKey] === item[mergeKey]);
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    result.sort((a, b) => rank(a) - rank(b));
  }
  return result;
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith("$")) out[k] = stripDirectives(v);
  return out;
}

interface JsonPatchOp {
  op: "add" | "remove" | "replace" | "move" | "copy" | "test";
  path: string;
  from?: string;
  value?: unknown;
}

function patchError(message: string): StatusError {
  return new StatusError(422, "Invalid", `the server rejected our request due to an error in our request: ${message}`);
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw patchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function locate(doc: unknown, parts: string[]): { parent: unknown; key: string } {
  let parent = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(parent)) parent = parent[Number(part)];
    else if (isRecord(parent)) parent = parent[part];
    else parent = undefined;
    if (parent === undefined) throw patchError(`doc is missing path: /${parts.join("/")}`);
  }
  return { parent, key: parts[parts.length - 1] ?? "" };
}

function getAt(doc: unknown, parts: string[]): unknown {
  let current = doc;
  for (const part of parts) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isRecord(current)) current = current[part];
    else return undefined;
  }
  return current;
}

function removeAt(doc: unknown, parts: string[]): unknown {
  const { parent, key } = locate(doc, parts);
  if (Array.isArray(parent)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length)
      throw patchError(`Unable to remove nonexistent key: ${key}: missing value`);
    return parent.splice(index, 1)[0];
  }
  if (!isRecord(parent) || !(key in parent)) throw patchError(`Unable to remove nonexistent key: ${key}: missing value`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function addAt(doc: unknown, parts: string[], value: unknown, replace: boolean): unknown {
  if (parts.length === 0) return clone(value);
  const { parent, key } = locate(doc, parts);
  if (Array.isArray(parent)) {
    const index = key === "-" ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw patchError(`add operation does not apply: doc is missing path: /${parts.join("/")}`);
    if (replace) parent[index] = clone(value);
    else parent.splice(index, 0, clone(value));
  } else if (isRecord(parent)) {
    if (replace && !(key in parent))
      throw patchError(`replace operation does not apply: doc is missing key: /${parts.join("/")}: missing value`);
    parent[key] = clone(value);
  } else throw patchError(`doc is missing path: /${parts.join("/")}`);
  return doc;
}

/** RFC 6902 JSON patch. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new StatusError(400, "BadRequest", "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let doc = clone(target);
  for (const raw of ops as JsonPatchOp[]) {
    const parts = pointer(raw.path);
    switch (raw.op) {
      case "add":
        doc = addAt(doc, parts, raw.value, false);
        break;
      case "replace":
        doc = addAt(doc, parts, raw.value, true);
        break;
      case "remove":
        removeAt(doc, parts);
        break;
      case "move": {
        const value = removeAt(doc, pointer(raw.from ?? ""));
        doc = addAt(doc, parts, value, false);
        break;
      }
      case "copy":
        doc = addAt(doc, parts, getAt(doc, pointer(raw.from ?? "")), false);
        break;
      case "test":
        if (!deepEqual(getAt(doc, parts), raw.value)) throw patchError(`testing value /${parts.join("/")} failed: test failed`);
        break;
      default:
        throw patchError(`Unexpected kind: ${String((raw as { op?: unknown }).op)}`);
    }
  }
  return doc;
}

// ---- Server-side apply ----

const UNOWNED_TOP = new Set(["apiVersion", "kind"]);
const UNOWNED_META = new Set(["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields"]);

/** The set of fields an applied configuration sets, in fieldsV1 form. Lists count as atomic. */
export function fieldsOf(obj: KubeObject): FieldSet {
  const walk = (value: unknown): FieldSet => {
    if (!isRecord(value)) return {};
    const out: FieldSet = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[`f:${k}`] = walk(v);
    return out;
  };
  const set: FieldSet = {};
  for (const [key, value] of Object.entries(obj)) {
    if (UNOWNED_TOP.has(key) || value === undefined) continue;
    if (key === "metadata" && isRecord(value)) {
      const meta: FieldSet = {};
      for (const [mk, mv] of Object.entries(value)) if (!UNOWNED_META.has(mk) && mv !== undefined) meta[`f:${mk}`] = walk(mv);
      if (Object.keys(meta).length) set["f:metadata"] = meta;
    } else set[`f:${key}`] = walk(value);
  }
  return set;
}

/** Applied values win; maps merge recursively; lists and scalars replace. */
function applyMerge(target: unknown, applied: unknown): unknown {
  if (!isRecord(applied) || !isRecord(target)) return clone(applied);
  const result: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(applied)) {
    if (value === null || value === undefined) delete result[key];
    else result[key] = applyMerge(result[key], value);
  }
  return result;
}

/** Drops fields this manager applied before and no longer applies, unless another manager also owns them. */
function removeStale(obj: Record<string, unknown>, before: FieldSet, after: FieldSet, others: FieldSet[]): void {
  for (const [fkey, child] of Object.entries(before)) {
    const key = fkey.slice(2);
    const stillApplied = after[fkey];
    const otherChildren = others.map((o) => o[fkey]).filter((o): o is FieldSet => o !== undefined);
    if (stillApplied) {
      const value = obj[key];
      if (isRecord(value) && Object.keys(child).length && Object.keys(stillApplied).length)
        removeStale(value, child, stillApplied, otherChildren);
      continue;
    }
    if (otherChildren.length === 0) delete obj[key];
    else {
      const value = obj[key];
      if (isRecord(value) && Object.keys(child).length) removeStale(value, child, {}, otherChildren);
    }
  }
}

/**
 * Server-side apply of `applied` by `manager` onto `existing` (undefined: the object is created). Conflicts with
 * other managers are not detected; every apply behaves as if forced.
 */
export function serverSideApply(existing: KubeObject | undefined, applied: KubeObject, manager: string): KubeObject {
  const appliedFields = fieldsOf(applied);
  const body = clone(applied);
  delete body.metadata.managedFields;
  const base = existing ? clone(existing) : ({ apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} } as KubeObject);
  const entries: ManagedFieldsEntry[] = base.metadata.managedFields ?? [];
  const previous = entries.find((e) => e.manager === manager && e.operation === "Apply");
  const merged = applyMerge(base, body) as KubeObject;
  if (previous) {
    const others = entries.filter((e) => e !== previous).map((e) => e.fieldsV1);
    removeStale(merged as unknown as Record<string, unknown>, previous.fieldsV1, appliedFields, others);
    if (!merged.metadata) merged.metadata = {};
  }
  const entry: ManagedFieldsEntry = {
    manager,
    operation: "Apply",
    apiVersion: applied.apiVersion,
    time: previous && deepEqual(previous.fieldsV1, appliedFields) ? previous.time : now(),
    fieldsType: "FieldsV1",
    fieldsV1: appliedFields,
  };
  merged.metadata.managedFields = [...entries.filter((e) => e !== previous), entry];
  return merged;
}

/** Records a non-apply write by `manager` (create, update, patch), the way the apiserver lists them. */
export function recordUpdate(obj: KubeObject, manager: string, apiVersion: string, subresource?: string): void {
  const entries = (obj.metadata.managedFields ?? []).filter(
    (e) => !(e.manager === manager && e.operation === "Update" && e.subresource === subresource),
  );
  const fields = fieldsOf(obj);
  const owned: FieldSet = subresource === "status" ? { "f:status": fields["f:status"] ?? {} } : { ...fields };
  if (subresource !== "status") delete owned["f:status"];
  const entry: ManagedFieldsEntry = { manager, operation: "Update", apiVersion, time: now(), fieldsType: "FieldsV1", fieldsV1: owned };
  if (subresource) entry.subresource = subresource;
  obj.metadata.managedFields = [...entries, entry];
}
