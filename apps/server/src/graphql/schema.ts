import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { AssistantResolver } from "../modules/assistant/assistant.resolver.js";
import { UsageProjectionResolver, VolumeUsageResolver } from "../modules/monitoring/monitoring.resolver.js";
import { ApplicationResolver, WorkspaceApplicationsResolver } from "../modules/applications/application.resolver.js";
import { AuthResolver } from "../modules/auth/auth.resolver.js";
import { BackupCopyResolver, BackupRunCopyResolver } from "../modules/backups/off-node-copy.resolver.js";
import { ApplicationBackupPageResolver, BackupResolver, BackupRunResolver } from "../modules/backups/backup.resolver.js";
import {
  ApplicationRestorePointResolver,
  BackupRestorePointResolver,
  CatalogJobResolver,
  VolumeRestorePointResolver,
} from "../modules/backups/restore-point.resolver.js";
import { RepositoryTrustResolver, RestoreSafetyResolver } from "../modules/backups/repository-trust.resolver.js";
import { SnapshotBrowseResolver } from "../modules/backups/snapshot-browse.resolver.js";
import { SpaceEstimateResolver } from "../modules/backups/space-estimate.resolver.js";
import { PlatformResolver } from "../modules/platform-info/platform.resolver.js";
import { RepositoryKeyResolver } from "../modules/repository-keys/repository-key.resolver.js";
import { QuotaResolver, WorkspaceQuotaResolver } from "../modules/quotas/quota.resolver.js";
import { VolumeResolver, WorkspaceStorageResolver } from "../modules/volumes/volume.resolver.js";
import { StorageVolumeConnectionResolver, WorkspaceVolumePageResolver } from "../modules/volumes/volume-page.resolver.js";
import { WorkspaceResolver } from "../modules/workspaces/workspace.resolver.js";
import { authChecker } from "./auth-checker.js";
import type { AppPubSub as PubSub } from "../modules/topics.js";

export const resolvers = [
  AuthResolver,
  WorkspaceResolver,
  WorkspaceStorageResolver,
  WorkspaceVolumePageResolver,
  StorageVolumeConnectionResolver,
  VolumeResolver,
  WorkspaceQuotaResolver,
  QuotaResolver,
  WorkspaceApplicationsResolver,
  ApplicationResolver,
  BackupResolver,
  ApplicationBackupPageResolver,
  BackupRunResolver,
  BackupCopyResolver,
  BackupRunCopyResolver,
  VolumeUsageResolver,
  UsageProjectionResolver,
  AssistantResolver,
  PlatformResolver,
  RepositoryKeyResolver,
  CatalogJobResolver,
  ApplicationRestorePointResolver,
  VolumeRestorePointResolver,
  BackupRestorePointResolver,
  RepositoryTrustResolver,
  RestoreSafetyResolver,
  SnapshotBrowseResolver,
  SpaceEstimateResolver,
] as const;

export function buildAppSchema(options: { pubsub: PubSub; emitSchemaFile?: string }): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    authChecker,
    pubSub: options.pubsub,
    // Inputs are validated by the services (zod), in one place, with messages written for people.
    validate: false,
    emitSchemaFile: options.emitSchemaFile ? { path: options.emitSchemaFile, sortedSchema: true } : false,
  });
}
