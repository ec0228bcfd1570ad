import type { V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { PERSISTENT_VOLUME_CLAIM } from "../../platform/kubernetes/kinds/persistent-volume-claim.js";
import { VOLUME_ID_LABEL } from "../../platform/kubernetes/kinds/labels.js";
import { parseQuantity } from "../../platform/kubernetes/quantity.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { BackupRecord } from "../backups/backup.repository.js";
import type { WorkspaceRepository } from "../workspaces/workspace.repository.js";
import type { ApplicationRecord } from "./application.repository.js";
import { bytesToGiB } from "../../kernel/units.js";

/** What lives in an application's namespace, read from its vCluster. */
export class ApplicationService {
  constructor(
    private readonly workspaces: WorkspaceRepository,
    private readonly vclusters: VClusters,
  ) {}

  /** The namespace's claims, each flagged when no backup covers it: unprotected data is shown, not hidden. */
  async claims(app: ApplicationRecord, backups: BackupRecord[]) {
    const workspace = (await this.workspaces.findById(app.workspaceId))!;
    const claims = await this.vclusters
      .forName(workspace.vclusterName)
      .list<V1PersistentVolumeClaim>(PERSISTENT_VOLUME_CLAIM.apiVersion, PERSISTENT_VOLUME_CLAIM.kind, app.namespace);
    const covered = new Set(backups.map((b) => b.sourcePvcName).filter(Boolean));
    return claims
      .map((c) => {
        const capacity = c.status?.capacity?.["storage"] ?? c.spec?.resources?.requests?.["storage"];
        return {
          name: c.metadata!.name!,
          storageClassName: c.spec?.storageClassName ?? null,
          capacityGiB: capacity ? bytesToGiB(parseQuantity(capacity)) : null,
          phase: c.status?.phase ?? null,
          coveredByBackup: covered.has(c.metadata!.name!),
          isStorageVolume: !!c.metadata?.labels?.[VOLUME_ID_LABEL],
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}
