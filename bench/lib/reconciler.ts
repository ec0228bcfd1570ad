import { randomBytes } from "node:crypto";
import type { Database } from "../../apps/server/src/db/client.js";
import type { Logger } from "../../apps/server/src/logger.js";
import type { Watches } from "../../apps/server/src/modules/cluster-watches.js";
import { BackupReconciler } from "../../apps/server/src/modules/backups/backup-reconciler.js";
import { DEFAULT_TRANSLATION } from "../../apps/server/src/modules/backups/translation.js";
import { RepositoryKeyService } from "../../apps/server/src/modules/repository-keys/repository-key.service.js";
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
}) {
  const { db, vclusters, workspaces, logger, watches } = deps;
  return new BackupReconciler({
    db,
    keys: new RepositoryKeyService({ db, vclusters, workspaces: new WorkspaceService(workspaces), keyEncryptionKey: randomBytes(32) }),
    vclusters,
    workspaces,
    translation: { ...DEFAULT_TRANSLATION, image: "ghcr.io/hks/backup-functions:bench" },
    logger,
    watches,
  });
}
