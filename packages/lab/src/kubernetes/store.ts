import { randomUUID } from "node:crypto";
import { alreadyExists, badRequest, conflict, forbidden, invalid, notFound, StatusError, type FieldError } from "./errors.js";
import { KindRegistry } from "./kinds/index.js";
import type { KindDef, StoreReader, WriteOperation } from "./kinds/kind.js";
import { required, validateDnsName, validateLabels } from "./kinds/validation.js";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from "./selectors.js";
import { clone, deepEqual, type KubeObject, type WatchEventType } from "./types.js";

export interface StoreEvent {
  type: WatchEventType;
  /** The object after the change (for DELETED: as it was, with the deletion's resourceVersion). */
  object: KubeObject;
  /** The object before the change, for MODIFIED and DELETED. */
  oldObject?: KubeObject;
  def: KindDef;
  resourceVersion: number;
}

export type StoreListener = (event: StoreEvent) => void;

/** A validating admission check; throw a StatusError to reject the write. */
export type Admission = (op: WriteOperation, obj: KubeObject, old: KubeObject | undefined, store: KubeStore) => void;

export interface ListOptions {
  namespace?: string;
  /** `a=b,c!=d,e in (f,g),!h` */
  labelSelector?: string;
  /** `metadata.name=x` and the kind's own field selectors. */
  fieldSelector?: string;
}

export interface WriteOptions {
  /**
   * Which parts of the object the write may change. `main` and `status` mimic the apiserver's main resource and
   * /status subresource (each keeps the other part as stored); `all` (the default, for the lab's own controllers)
   * writes the object as given.
   */
  scope?: "main" | "status" | "all";
  dryRun?: boolean;
}

export interface DeleteOptions {
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface StoreSnapshot {
  resourceVersion: number;
  objects: KubeObject[];
}

/** An object's place in list order (and in continue tokens). */
export function listKey(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ""}/${obj.metadata.name ?? ""}`;
}

const NAME_SUFFIX_CHARS = "bcdfghjklmnpqrstvwxz2456789";
const HISTORY_LIMIT = 10_000;

/**
 * All objects of one lab cluster, with the apiserver's write semantics (validation, admission, resourceVersion,
 * conflicts) so the HTTP layer and the lab's own controllers share one set of rules. Writes are synchronous;
 * listeners run after each write, in resourceVersion order, and may write themselves (controllers), so by the time an
 * HTTP request answers, every controller has reacted to it.
 */
export class KubeStore implements StoreReader {
  readonly kinds: KindRegistry;
  private objects = new Map<string, Map<string, KubeObject>>();
  private rv = 0;
  private history: StoreEvent[] = [];
  /** The oldest resourceVersion a watch can resume from. */
  private historyStart = 0;
  private listeners = new Set<StoreListener>();
  private admissions: Admission[] = [];
  private queue: StoreEvent[] = [];
  private draining = false;

  /** The lab's clock (injectable for tests); creationTimestamp and controllers' timestamps come from it. */
  readonly clock: () => Date;

  constructor(kinds: KindRegistry = new KindRegistry(), clock: () => Date = () => new Date()) {
    this.kinds = kinds;
    this.clock = clock;
  }

  /** RFC 3339 without fractional seconds, from the lab's clock. */
  now(): string {
    return this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z");
  }

  /** The latest resourceVersion, as the apiserver reports it on lists. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  def(apiVersion: string, kind: string): KindDef {
    const def = this.kinds.byApiVersionKind(apiVersion, kind);
    if (!def) throw badRequest(`no kind "${kind}" is registered for version "${apiVersion}"`);
    return def;
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const def = this.def(apiVersion, kind);
    const found = this.bucket(def).get(this.key(def, namespace, name));
    return found && clone(found);
  }

  /** Like get, but a missing object is the apiserver's NotFound error. */
  read(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject {
    const found = this.get(apiVersion, kind, namespace, name);
    if (!found) throw notFound(this.def(apiVersion, kind), name);
    return found;
  }

  list(apiVersion: string, kind: string, options: ListOptions = {}): KubeObject[] {
    const def = this.def(apiVersion, kind);
    return this.select(def, this.bucket(def).values(), options);
  }

  /**
   * A kind's objects as they were at `resourceVersion`, rolled back through the change history; undefined when that
   * version is older than the history kept (as etcd answers after compaction).
   */
  listAt(apiVersion: string, kind: string, resourceVersion: number, options: ListOptions = {}): KubeObject[] | undefined {
    const def = this.def(apiVersion, kind);
    const events = this.eventsSince(resourceVersion);
    if (!events) return undefined;
    const state = new Map(this.bucket(def));
    for (const event of events.reverse()) {
      if (event.def !== def) continue;
      const key = this.key(def, event.object.metadata.namespace, event.object.metadata.name ?? "");
      if (event.type === "ADDED") state.delete(key);
      else if (event.oldObject) state.set(key, event.oldObject);
    }
    return this.select(def, state.values(), options);
  }

  /** The oldest resourceVersion `listAt` and watches can start from. */
  get oldestResourceVersion(): number {
    const first = this.history[0];
    return first ? Math.max(this.historyStart, first.resourceVersion - 1) : Math.max(this.historyStart, this.rv);
  }

  /** Filtered, cloned and in key order (namespace/name), as etcd returns a range. */
  private select(def: KindDef, objects: Iterable<KubeObject>, options: ListOptions): KubeObject[] {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector, def);
    const items: KubeObject[] = [];
    for (const obj of objects) {
      if (def.namespaced && options.namespace && obj.metadata.namespace !== options.namespace) continue;
      if (!matchesLabels(obj.metadata.labels, labels) || !matchesFields(obj, fields)) continue;
      items.push(clone(obj));
    }
    return items.sort((a, b) => listKey(a).localeCompare(listKey(b)));
  }

  create(input: KubeObject, options: WriteOptions = {}): KubeObject {
    const def = this.def(input.apiVersion, input.kind);
    const obj = clone(input);
    obj.metadata = { ...(obj.metadata ?? {}) };
    for (const field of ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "generation"]) delete obj.metadata[field];
    if (def.namespaced) {
      if (!obj.metadata.namespace) throw badRequest("the server could not find the requested resource: namespace is required");
      this.requireNamespace(obj.metadata.namespace);
    } else delete obj.metadata.namespace;
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = this.generateName(def, obj);
    // Assigned before defaulting, so defaults may use it (a Job's selector names its own uid, as in the apiserver).
    obj.metadata.uid = randomUUID();
    const scope = options.scope ?? "all";
    if (scope !== "all") def.prepareForCreate?.(obj);
    def.defaults?.(obj, this, "create");
    const name = obj.metadata.name ?? "";
    const errors = this.validateMetadata(def, obj);
    if (errors.length === 0) errors.push(...(def.validate?.(obj) ?? []));
    if (errors.length) throw invalid(def, name, errors);
    this.admit(def, "create", obj, undefined);
    const bucket = this.bucket(def);
    const key = this.key(def, obj.metadata.namespace, name);
    if (bucket.has(key)) throw alreadyExists(def, name);
    obj.metadata.creationTimestamp = this.now();
    if (def.generation) obj.metadata.generation = 1;
    if (options.dryRun) return this.withKind(def, obj);
    obj.metadata.resourceVersion = String(++this.rv);
    const stored = this.withKind(def, obj);
    bucket.set(key, stored);
    this.emit({ type: "ADDED", object: clone(stored), def, resourceVersion: this.rv });
    return clone(stored);
  }

  update(input: KubeObject, options: WriteOptions = {}): KubeObject {
    const def = this.def(input.apiVersion, input.kind);
    const name = input.metadata?.name ?? "";
    const namespace = def.namespaced ? input.metadata?.namespace : undefined;
    const bucket = this.bucket(def);
    const key = this.key(def, namespace, name);
    const old = bucket.get(key);
    if (!old) throw notFound(def, name);
    if (input.metadata.resourceVersion && input.metadata.resourceVersion !== old.metadata.resourceVersion) throw conflict(def, name);
    const scope = options.scope ?? "all";
    let obj: KubeObject;
    if (scope === "status") {
      obj = clone(old);
      if (input.status === undefined) delete obj.status;
      else obj.status = clone(input.status);
    } else {
      obj = clone(input);
      if (scope === "main" && def.statusSubresource) {
        if (old.status === undefined) delete obj.status;
        else obj.status = clone(old.status);
      }
    }
    obj.metadata = {
      ...obj.metadata,
      name: old.metadata.name,
      uid: old.metadata.uid,
      creationTimestamp: old.metadata.creationTimestamp,
      resourceVersion: old.metadata.resourceVersion,
      managedFields: Array.isArray(input.metadata.managedFields) ? input.metadata.managedFields : old.metadata.managedFields,
    };
    if (def.namespaced) obj.metadata.namespace = old.metadata.namespace;
    else delete obj.metadata.namespace;
    if (old.metadata.generation !== undefined) obj.metadata.generation = old.metadata.generation;
    if (obj.metadata.managedFields === undefined) delete obj.metadata.managedFields;
    def.defaults?.(obj, this, "update");
    const errors = [...validateLabels("metadata.labels", obj.metadata.labels), ...(def.validate?.(obj) ?? [])];
    errors.push(...(def.validateUpdate?.(obj, old) ?? []));
    if (errors.length) throw invalid(def, name, errors);
    this.admit(def, "update", obj, old);
    if (def.generation && !deepEqual(obj.spec, old.spec)) obj.metadata.generation = (old.metadata.generation ?? 0) + 1;
    const stored = this.withKind(def, obj);
    // Writes that change nothing keep the resourceVersion and send no watch event, like the apiserver.
    if (deepEqual(stored, old) || options.dryRun) return clone(stored);
    stored.metadata.resourceVersion = String(++this.rv);
    bucket.set(key, stored);
    this.emit({ type: "MODIFIED", object: clone(stored), oldObject: clone(old), def, resourceVersion: this.rv });
    return clone(stored);
  }

  /** Read-modify-write for in-process callers; `mutate` edits a copy. */
  modify(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name: string,
    mutate: (obj: KubeObject) => void,
    options: WriteOptions = {},
  ): KubeObject {
    const obj = this.read(apiVersion, kind, namespace, name);
    mutate(obj);
    return this.update(obj, options);
  }

  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject {
    const def = this.def(apiVersion, kind);
    const bucket = this.bucket(def);
    const key = this.key(def, namespace, name);
    const old = bucket.get(key);
    if (!old) throw notFound(def, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== old.metadata.uid)
      throw conflict(def, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`);
    if (pre?.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion)
      throw conflict(
        def,
        name,
        `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
      );
    if (def.kind === "Namespace" && ["default", "kube-system", "kube-public"].includes(name))
      throw forbidden(def, name, "this namespace may not be deleted");
    if (options.dryRun) return clone(old);
    if (def.kind === "Namespace") {
      // The namespace controller empties a namespace before it goes; the lab does it at once.
      for (const other of this.kinds.kinds)
        if (other.namespaced)
          for (const obj of [...this.bucket(other).values()])
            if (obj.metadata.namespace === name) this.delete(other.apiVersion, other.kind, name, obj.metadata.name ?? "");
    }
    bucket.delete(key);
    const gone = clone(old);
    gone.metadata.resourceVersion = String(++this.rv);
    if (def.kind === "Namespace") gone.status = { ...gone.status, phase: "Terminating" };
    this.emit({ type: "DELETED", object: clone(gone), oldObject: clone(old), def, resourceVersion: this.rv });
    return gone;
  }

  /** Listeners see every change; they may write, and their writes are delivered after the current event. */
  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  addAdmission(admission: Admission): () => void {
    this.admissions.push(admission);
    return () => {
      this.admissions = this.admissions.filter((a) => a !== admission);
    };
  }

  /** Changes after `resourceVersion`, or undefined when they are no longer known (the watch must relist: 410). */
  eventsSince(resourceVersion: number): StoreEvent[] | undefined {
    if (resourceVersion < this.historyStart) return undefined;
    const first = this.history[0];
    if (first && resourceVersion < first.resourceVersion - 1) return undefined;
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  /**
   * Forgets the change history, as etcd's compaction does: a watch or an Exact list from any version before now gets
   * 410 Expired (tests use it to make informers relist).
   */
  compact(): void {
    this.history = [];
    this.historyStart = this.rv;
  }

  snapshot(): StoreSnapshot {
    const objects: KubeObject[] = [];
    for (const bucket of this.objects.values()) for (const obj of bucket.values()) objects.push(clone(obj));
    return { resourceVersion: this.rv, objects };
  }

  /** Replaces everything with a snapshot, without events (at start-up). */
  load(snapshot: StoreSnapshot): void {
    this.objects.clear();
    for (const obj of snapshot.objects) {
      const def = this.kinds.byApiVersionKind(obj.apiVersion, obj.kind);
      if (def) this.bucket(def).set(this.key(def, obj.metadata.namespace, obj.metadata.name ?? ""), clone(obj));
    }
    this.rv = Math.max(this.rv, snapshot.resourceVersion);
    this.history = [];
    this.historyStart = this.rv;
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    this.queue.push(event);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift())
        for (const listener of [...this.listeners]) {
          try {
            listener(next);
          } catch (error) {
            // A failing controller must not fail the client's write that triggered it.
            if (!(error instanceof StatusError)) console.error("kube lab listener failed", error);
          }
        }
    } finally {
      this.draining = false;
    }
  }

  private admit(def: KindDef, op: WriteOperation, obj: KubeObject, old: KubeObject | undefined): void {
    def.admit?.(op, obj, old, this);
    for (const admission of this.admissions) admission(op, obj, old, this);
  }

  private validateMetadata(def: KindDef, obj: KubeObject): FieldError[] {
    const name = obj.metadata.name;
    if (!name) return [required("metadata.name", "name or generateName is required")];
    return [...validateDnsName("metadata.name", name, def.nameRule), ...validateLabels("metadata.labels", obj.metadata.labels)];
  }

  private requireNamespace(namespace: string): void {
    const nsDef = this.kinds.byApiVersionKind("v1", "Namespace");
    if (nsDef && !this.bucket(nsDef).has(namespace)) throw notFound(nsDef, namespace);
  }

  private generateName(def: KindDef, obj: KubeObject): string {
    for (;;) {
      let suffix = "";
      for (let i = 0; i < 5; i++) suffix += NAME_SUFFIX_CHARS[Math.floor(Math.random() * NAME_SUFFIX_CHARS.length)];
      const name = `${obj.metadata.generateName}${suffix}`;
      if (!this.bucket(def).has(this.key(def, obj.metadata.namespace, name))) return name;
    }
  }

  private withKind(def: KindDef, obj: KubeObject): KubeObject {
    // apiVersion/kind first, like the apiserver's JSON.
    const { apiVersion: _a, kind: _k, ...rest } = obj;
    return { apiVersion: def.apiVersion, kind: def.kind, ...rest } as KubeObject;
  }

  private bucket(def: KindDef): Map<string, KubeObject> {
    const key = `${def.apiVersion}/${def.kind}`;
    let bucket = this.objects.get(key);
    if (!bucket) this.objects.set(key, (bucket = new Map()));
    return bucket;
  }

  private key(def: KindDef, namespace: string | undefined, name: string): string {
    return def.namespaced ? `${namespace ?? ""}/${name}` : name;
  }
}
