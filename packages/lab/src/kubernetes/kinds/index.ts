import { cronJobKind } from "./cron-job.js";
import { eventKind } from "./event.js";
import { jobKind } from "./job.js";
import type { KindDef } from "./kind.js";
import { namespaceKind } from "./namespace.js";
import { networkPolicyKind } from "./network-policy.js";
import { nodeKind } from "./node.js";
import { persistentVolumeClaimKind } from "./persistent-volume-claim.js";
import { persistentVolumeKind } from "./persistent-volume.js";
import { podKind } from "./pod.js";
import { resourceQuotaKind } from "./resource-quota.js";
import { configMapKind, secretKind } from "./secret.js";
import { storageClassKind } from "./storage-class.js";

export const ALL_KINDS: KindDef[] = [
  namespaceKind,
  nodeKind,
  persistentVolumeKind,
  persistentVolumeClaimKind,
  resourceQuotaKind,
  podKind,
  eventKind,
  secretKind,
  configMapKind,
  storageClassKind,
  cronJobKind,
  jobKind,
  networkPolicyKind,
];

/** Lookup by apiVersion+kind (in-process API) and by group/version/plural (HTTP paths). */
export class KindRegistry {
  private byKind = new Map<string, KindDef>();
  private byPlural = new Map<string, KindDef>();

  constructor(readonly kinds: KindDef[] = ALL_KINDS) {
    for (const def of kinds) {
      this.byKind.set(`${def.apiVersion}/${def.kind}`, def);
      this.byPlural.set(`${def.group}/${def.version}/${def.plural}`, def);
    }
  }

  byApiVersionKind(apiVersion: string, kind: string): KindDef | undefined {
    return this.byKind.get(`${apiVersion}/${kind}`);
  }

  byResource(group: string, version: string, plural: string): KindDef | undefined {
    return this.byPlural.get(`${group}/${version}/${plural}`);
  }

  /** Group versions served, core first: [{group:"", version:"v1"}, ...]. */
  groupVersions(): Array<{ group: string; version: string }> {
    const seen = new Map<string, { group: string; version: string }>();
    for (const def of this.kinds) seen.set(def.apiVersion, { group: def.group, version: def.version });
    return [...seen.values()];
  }

  inGroupVersion(group: string, version: string): KindDef[] {
    return this.kinds.filter((k) => k.group === group && k.version === version);
  }
}

export type { KindDef } from "./kind.js";
