import { createHash } from "node:crypto";

/** How far above the mean share one replica may go (consistent hashing with bounded loads: at most ⌈1.25 × mean⌉). */
export const SHARE_BOUND = 1.25;

/** A replica's preference weight for a workspace: the same on every replica, different for every pair. */
function weight(replica: string, workspaceId: string): number {
  return createHash("sha256").update(replica).update("\0").update(workspaceId).digest().readUInt32BE(0);
}

/**
 * Divides the workspaces among the live replicas, as Argo CD's controller shards clusters: rendezvous hashing ranks
 * the replicas for each workspace, and each goes to the first one in its ranking that is not yet full (bounded loads).
 * Every replica computes the same answer from the same inputs, so no one hands out the shares. When a replica joins or
 * leaves, a workspace moves only if its first choice changed or a share had to shrink: about 1/N of them, not all.
 */
export function assignWorkspaces(
  workspaceIds: readonly string[],
  liveReplicas: readonly string[],
  bound = SHARE_BOUND,
): Map<string, string> {
  const assignment = new Map<string, string>();
  const replicas = [...new Set(liveReplicas)].sort();
  if (!replicas.length) return assignment;
  const capacity = Math.ceil((bound * workspaceIds.length) / replicas.length);
  const load = new Map(replicas.map((r) => [r, 0]));
  // A fixed order (by id), so the workspaces that overflow a full replica are the same ones on every replica.
  for (const workspaceId of [...workspaceIds].sort()) {
    const ranked = replicas
      .map((replica) => ({ replica, w: weight(replica, workspaceId) }))
      .sort((a, b) => b.w - a.w || (a.replica < b.replica ? -1 : 1));
    const owner = ranked.find((r) => load.get(r.replica)! < capacity)!.replica;
    load.set(owner, load.get(owner)! + 1);
    assignment.set(workspaceId, owner);
  }
  return assignment;
}
