import { randomBytes } from "node:crypto";
import type { Database } from "../../apps/server/src/db/client.js";
import type { Logger } from "../../apps/server/src/logger.js";
import type { Watches } from "../../apps/server/src/modules/cluster-watches.js";
import { BackupReconciler } from "../../apps/server/src/modules/backups/backup-reconciler.js";
import { DEFAULT_TRANSLATION } from "../../apps/server/src/modules/backups/translation.js";
import { RepositoryKeyService } from "../../apps/server/src/modules/repository-keys/repository-key.service.js";
import type { WorkspaceShare } from "../../apps/server/src/modules/workspaces/workspace-share.js";
import type { WorkspaceRepository } from "../../apps/server/src/modules/workspaces/workspace.repository.js";
import { WorkspaceService } from "../../apps/server/src/modules/workspaces/workspace.service.js";
import type { VClusters } from "../../apps/server/src/platform/kubernetes/vclusters.js";

/** The reconciler as the server wires it, for benches whose Backups are plain files (the key is never asked for). */
export function benchReconciler(deps: {
  db: Database;
  vclusters: VClusters;
  workspaces: WorkspaceRepository;
  logger: Logger;
  watches?: Watches;
  /** Only these workspaces (a pass over a slice of them). */
  share?: WorkspaceShare;
}) {
  const { db, vclusters, workspaces, logger, watches, share } = deps;
  return new BackupReconciler({
    db,
    keys: new RepositoryKeyService({ db, vclusters, workspaces: new WorkspaceService(workspaces), keyEncryptionKey: randomBytes(32) }),
    vclusters,
    workspaces,
    translation: { ...DEFAULT_TRANSLATION, image: "ghcr.io/hks/backup-functions:bench" },
    logger,
    watches,
    share,
  });
}

/**
 * A first reconcile pass over every workspace, `ways` slices at once (each its own reconciler over its share): the
 * CronJobs of a large fleet made in a fraction of one pass's time, as a bench's set-up.
 */
export async function firstReconcilePass(
  deps: { db: Database; vclusters: VClusters; workspaces: WorkspaceRepository; logger: Logger },
  ways = 4,
): Promise<void> {
  const ids = (await deps.workspaces.all()).map((w) => w.id);
  await Promise.all(
    Array.from({ length: ways }, async (_, way) => {
      const mine = new Set(ids.filter((_, i) => i % ways === way));
      const share: WorkspaceShare = {
        fence: (workspaceId) => (mine.has(workspaceId) ? { workspaceId, vclusterName: "", owner: "bench", token: 0 } : undefined),
        owned: () => [],
      };
      await benchReconciler({ ...deps, share }).reconcileAll();
    }),
  );
}
