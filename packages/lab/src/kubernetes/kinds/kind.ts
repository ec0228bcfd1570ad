import type { FieldError } from "../errors.js";
import type { KubeObject } from "../types.js";

/** Read access to the store, for validation and admission that depends on other objects. */
export interface StoreReader {
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(apiVersion: string, kind: string, options?: { namespace?: string }): KubeObject[];
}

export interface TableColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format?: string;
  description?: string;
  priority?: number;
  cell(obj: KubeObject): string | number | boolean;
}

export type WriteOperation = "create" | "update";

export interface KindDef {
  group: string;
  version: string;
  /** `v1` or `<group>/<version>`. */
  apiVersion: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories?: string[];
  namespaced: boolean;
  verbs: string[];
  /** Status lives in a subresource: writes to the main resource keep the stored status and vice versa. */
  statusSubresource: boolean;
  /** The Go type name in OpenAPI component names, e.g. io.k8s.api.core.v1.PersistentVolume. */
  openapiName: string;
  /** Namespaces must be DNS-1123 labels; most other names are subdomains. */
  nameRule: "subdomain" | "label";
  /** metadata.generation counts spec changes (Jobs, CronJobs). */
  generation: boolean;
  /** The apiserver answers DELETE with the object (graceful / finalized kinds) rather than a Success Status. */
  deleteReturnsObject: boolean;
  /** Field selector keys beyond metadata.name and metadata.namespace. */
  fieldSelectors?: Record<string, (obj: KubeObject) => string | undefined>;
  /** Defaulting, run on every write before validation. */
  defaults?(obj: KubeObject, store: StoreReader, op: WriteOperation): void;
  /** Resets what clients may not set at creation (usually status). */
  prepareForCreate?(obj: KubeObject): void;
  validate?(obj: KubeObject): FieldError[];
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Validating admission: throw a StatusError (usually Forbidden). */
  admit?(op: WriteOperation, obj: KubeObject, old: KubeObject | undefined, store: StoreReader): void;
  /** Columns for `kubectl get` (Table responses). NAME and AGE are added around them. */
  columns?: TableColumn[];
}

export const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

type KindInit = Omit<
  KindDef,
  "apiVersion" | "verbs" | "statusSubresource" | "nameRule" | "generation" | "deleteReturnsObject" | "shortNames"
> &
  Partial<Pick<KindDef, "verbs" | "statusSubresource" | "nameRule" | "generation" | "deleteReturnsObject" | "shortNames">>;

export function defineKind(init: KindInit): KindDef {
  return {
    apiVersion: init.group ? `${init.group}/${init.version}` : init.version,
    verbs: ALL_VERBS,
    statusSubresource: false,
    nameRule: "subdomain",
    generation: false,
    deleteReturnsObject: false,
    shortNames: [],
    ...init,
  };
}

/** kubectl's short spelling of access modes. */
export function shortAccessModes(modes: unknown): string {
  if (!Array.isArray(modes)) return "";
  const short: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };
  return modes.map((m) => short[String(m)] ?? String(m)).join(",");
}

/** k8s.io/apimachinery's HumanDuration, for AGE columns. */
export function humanAge(timestamp: string | undefined, nowMs = Date.now()): string {
  if (!timestamp) return "<unknown>";
  const seconds = Math.max(0, Math.floor((nowMs - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}
