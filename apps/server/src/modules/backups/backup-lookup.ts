import type { Database } from "../../db/client.js";
import { notFound } from "../../kernel/errors.js";
import type { Viewer } from "../../kernel/viewer.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import { ApplicationRepository, type ApplicationRecord } from "../applications/application.repository.js";
import type { WorkspaceWithPlan } from "../workspaces/workspace.repository.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import { BackupRepository, type BackupRecord, type BackupRunRecord } from "./backup.repository.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a change to an application's backups works in: its workspace, its tables and its vCluster. */
export interface BackupScope {
  workspace: WorkspaceWithPlan;
  app: ApplicationRecord;
  repo: BackupRepository;
  client: VClusterClient;
}

export interface BackupLookupDeps {
  db: Database;
  workspaces: WorkspaceService;
  vclusters: VClusters;
}

/** Finds applications, backups and runs among the viewer's workspaces, and the scope an admin changes them in. */
export class BackupLookup {
  constructor(private readonly deps: BackupLookupDeps) {}

  async application(viewer: Viewer, id: string): Promise<ApplicationRecord> {
    for (const workspaceId of viewer.roles.keys()) {
      const app = UUID.test(id) ? await new ApplicationRepository(this.deps.db, workspaceId).get(id) : undefined;
      if (app) return app;
    }
    throw notFound(`Application '${id}'`);
  }

  async backup(viewer: Viewer, id: string): Promise<BackupRecord> {
    for (const workspaceId of viewer.roles.keys()) {
      const backup = UUID.test(id) ? await this.repo(workspaceId).get(id) : undefined;
      if (backup) return backup;
    }
    throw notFound(`Backup '${id}'`);
  }

  async run(viewer: Viewer, id: string): Promise<BackupRunRecord> {
    for (const workspaceId of viewer.roles.keys()) {
      const run = UUID.test(id) ? await this.repo(workspaceId).run(id) : undefined;
      if (run) return run;
    }
    throw notFound(`Backup run '${id}'`);
  }

  repo(workspaceId: string): BackupRepository {
    return new BackupRepository(this.deps.db, workspaceId);
  }

  async adminScope(viewer: Viewer, app: ApplicationRecord): Promise<BackupScope> {
    const { workspace } = await this.deps.workspaces.requireAdmin(viewer, app.workspaceId);
    return { workspace, app, repo: this.repo(workspace.id), client: this.deps.vclusters.forName(workspace.vclusterName) };
  }
}
