import type { Database } from "./db/client.js";
import type { PubSub } from "./graphql/pubsub.js";
import type { Logger } from "./logger.js";
import { AuthService } from "./modules/auth/auth.service.js";
import { TokenService, type TokenConfig } from "./modules/auth/tokens.js";
import { UserRepository } from "./modules/auth/user.repository.js";
import { QuotaService } from "./modules/quotas/quota.service.js";
import { VolumeOperationJournal } from "./modules/volumes/volume.repository.js";
import { VolumeSagaRunner } from "./modules/volumes/volume-saga.js";
import { VolumeService } from "./modules/volumes/volume.service.js";
import { WorkspaceRepository } from "./modules/workspaces/workspace.repository.js";
import { WorkspaceService } from "./modules/workspaces/workspace.service.js";
import type { VClusters } from "./platform/kubernetes/vclusters.js";
import type { ProxmoxClient } from "./platform/proxmox/client.js";

export interface ServiceDeps {
  db: Database;
  pubsub: PubSub;
  logger: Logger;
  proxmox: ProxmoxClient;
  vclusters: VClusters;
  tokens: TokenConfig;
  csiDriver: string;
}

export type Services = ReturnType<typeof createServices>;

/** The composition root: each service built once, with what it depends on, and nothing global. */
export function createServices(deps: ServiceDeps) {
  const workspaceRepository = new WorkspaceRepository(deps.db);
  const workspaces = new WorkspaceService(workspaceRepository);
  const sagas = new VolumeSagaRunner({
    db: deps.db,
    journal: new VolumeOperationJournal(deps.db),
    workspaces: workspaceRepository,
    proxmox: deps.proxmox,
    vclusters: deps.vclusters,
    pubsub: deps.pubsub,
    logger: deps.logger,
    csiDriver: deps.csiDriver,
  });
  return {
    auth: new AuthService(new UserRepository(deps.db), new TokenService(deps.tokens)),
    workspaces,
    sagas,
    volumes: new VolumeService({ db: deps.db, workspaces, proxmox: deps.proxmox, vclusters: deps.vclusters, sagas, pubsub: deps.pubsub }),
    quotas: new QuotaService(workspaces, deps.vclusters),
  };
}
