import type { V1PersistentVolume } from "@kubernetes/client-node";
import { PERSISTENT_VOLUME } from "../../platform/kubernetes/kinds/persistent-volume.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { Watches } from "../cluster-watches.js";

export interface ClaimRef {
  namespace: string;
  name: string;
}

/** The claim a Bound PV is bound to, as `kubectl get pv` prints it in its CLAIM column. */
export function claimOf(pv: V1PersistentVolume): ClaimRef | undefined {
  const ref = pv.spec?.claimRef;
  if (pv.status?.phase !== "Bound" || !ref?.name) return undefined;
  return { namespace: ref.namespace || "default", name: ref.name };
}

/**
 * Each vCluster's HKS volumes mapped to the claims bound to them, kept by the PV watches' events: a monitoring
 * cycle reads the map instead of listing every PV of every vCluster.
 */
export class VolumeClaims {
  /** Each map with the watch it was built from: a watch stopped and started again (the lease went and came back) starts
   * from an empty cache that only announces what it finds, so a PV deleted in between would stay in the old map. */
  private readonly byVCluster = new Map<string, { watch: object; claims: Map<string, ClaimRef> }>();
  private readonly stopListening: () => void;

  constructor(private readonly watches: Watches) {
    this.stopListening = watches.onChange((vcluster, kind, type, object) => {
      if (kind !== "volumes") return;
      const claims = this.byVCluster.get(vcluster)?.claims;
      const name = object.metadata?.name;
      if (!claims || !name) return; // built from the cache at first use
      const claim = type === "DELETED" ? undefined : claimOf(object as V1PersistentVolume);
      if (claim) claims.set(name, claim);
      else claims.delete(name);
    });
  }

  /**
   * The maps of these vClusters, their watches started (and listed once) if need be. A vCluster whose PVs cannot be
   * listed within `timeoutMs` has no map: its volumes are left out of the cycle, the others go on.
   */
  async of(vclusters: string[], timeoutMs = 10_000): Promise<{ claims: Map<string, Map<string, ClaimRef>>; unreachable: string[] }> {
    const results = await Promise.allSettled(vclusters.map((name) => this.watches.start(name).synced(timeoutMs)));
    const claims = new Map<string, Map<string, ClaimRef>>();
    const unreachable: string[] = [];
    vclusters.forEach((name, i) => {
      if (results[i]!.status === "rejected") return void unreachable.push(name);
      const watch = this.watches.get(name);
      let built = this.byVCluster.get(name);
      if (!watch) return void unreachable.push(name);
      if (built?.watch !== watch) {
        built = { watch, claims: new Map() };
        for (const pv of watch.list<V1PersistentVolume>("volumes")) {
          const claim = claimOf(pv);
          if (claim && pv.metadata?.name) built.claims.set(pv.metadata.name, claim);
        }
        this.byVCluster.set(name, built);
      }
      claims.set(name, built.claims);
    });
    return { claims, unreachable };
  }

  close(): void {
    this.stopListening();
  }
}

/** Without watches: the claim bound to each of the vCluster's HKS volumes, listed as `kubectl get pv` prints it. */
export async function listedClaims(client: VClusterClient): Promise<Map<string, ClaimRef>> {
  const rows = await client.listTable(PERSISTENT_VOLUME.apiVersion, PERSISTENT_VOLUME.kind, undefined, "app.kubernetes.io/managed-by=hks");
  const claims = new Map<string, ClaimRef>();
  for (const row of rows) {
    const claim = row["Claim"];
    if (row["Status"] !== "Bound" || typeof row["Name"] !== "string" || typeof claim !== "string" || !claim) continue;
    const slash = claim.indexOf("/");
    claims.set(
      row["Name"],
      slash < 0 ? { namespace: "default", name: claim } : { namespace: claim.slice(0, slash), name: claim.slice(slash + 1) },
    );
  }
  return claims;
}

/** Whether a cycle's forecast differs from the one the usage row holds (then the row is written though usage did not move). */
export function forecastChanged(
  stored: { estimatedFullAt: number | null; source: string | null; failure: unknown } | null,
  next: { estimatedFullAt: Date | null; forecastSource: string | null; forecastFailure: unknown },
): boolean {
  if (!stored) return true;
  return (
    stored.estimatedFullAt !== (next.estimatedFullAt?.getTime() ?? null) ||
    stored.source !== next.forecastSource ||
    canonical(stored.failure ?? null) !== canonical(next.forecastFailure ?? null)
  );
}

/** JSON with sorted keys: jsonb gives its keys back in its own order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}
