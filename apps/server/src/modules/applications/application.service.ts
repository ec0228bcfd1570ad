import type { V1PersistentVolumeClaim } from "@kubernetes/client-node";
import { PERSISTENT_VOLUME_CLAIM } from "../../platform/kubernetes/kinds/persistent-volume-claim.js";
import { VOLUME_ID_LABEL } from "../../platform/kubernetes/kinds/labels.js";
import { parseQuantity } from "../../platform/kubernetes/quantity.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { BackupRecord } from "../backups/backup.repository.js";
import type { WorkspaceRepository } from "../workspaces/workspace.repository.js";
import type { Database } from "../../db/client.js";
import { forbidden, invalidInput } from "../../kernel/errors.js";
import type { Viewer } from "../../kernel/viewer.js";
import { ApplicationRepository, type ApplicationRecord } from "./application.repository.js";
import { RESTORED_FROM_BACKUP_ANNOTATION } from "./restored-claims.js";
import { bytesToGiB } from "../../kernel/units.js";

/** What lives in an application's namespace, read from its vCluster. */
export class ApplicationService {
  constructor(
    private readonly db: Database,
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
    const dismissed = await new ApplicationRepository(this.db, app.workspaceId).dismissedClaims(app.id);
    return claims
      .map((c) => {
        const capacity = c.status?.capacity?.["storage"] ?? c.spec?.resources?.requests?.["storage"];
        return {
          name: c.metadata!.name!,
          storageClassName: c.spec?.storageClassName ?? null,
          capacityGiB: capacity ? bytesToGiB(parseQuantity(capacity)) : null,
          phase: c.status?.phase ?? null,
          coveredByBackup: covered.has(c.metadata!.name!),
          restoredFrom: c.metadata?.annotations?.[RESTORED_FROM_BACKUP_ANNOTATION] ?? null,
          dismissed: dismissed.has(c.metadata!.name!),
          isStorageVolume: !!c.metadata?.labels?.[VOLUME_ID_LABEL],
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** An admin's choice to leave a claim without a backup: the application stops flagging it. */
  async dismissClaim(viewer: Viewer, app: ApplicationRecord, claimName: string): Promise<ApplicationRecord> {
    if (viewer.roles.get(app.workspaceId) !== "ADMIN")
      throw forbidden(`Only a Workspace Admin can decide that a claim of '${app.name}' needs no backup; ask an admin.`);
    const name = claimName.trim();
    if (!name || name.length > 253) throw invalidInput("claimName", "Name the claim to leave without a backup.");
    await new ApplicationRepository(this.db, app.workspaceId).dismissClaim(app.id, name, viewer.userId);
    return app;
  }
}
