import { randomBytes } from "node:crypto";
import type { V1Secret } from "@kubernetes/client-node";
import type { Database } from "../../db/client.js";
import { forbidden, invalidInput } from "../../kernel/errors.js";
import type { Viewer } from "../../kernel/viewer.js";
import { passwordOf, REPOSITORY_KEY_LABEL, repositoryKeySecretManifest, SECRET } from "../../platform/kubernetes/kinds/secret.js";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import type { VClusters } from "../../platform/kubernetes/vclusters.js";
import type { WorkspaceRecord } from "../workspaces/workspace.repository.js";
import type { WorkspaceService } from "../workspaces/workspace.service.js";
import { open, seal } from "./envelope.js";
import { RepositoryKeyRepository, type RepositoryKeyExportRecord } from "./repository-key.repository.js";

export interface RepositoryKeyDeps {
  db: Database;
  vclusters: VClusters;
  workspaces: WorkspaceService;
  /** HKS_KEY_ENCRYPTION_KEY, 32 bytes: wraps every workspace's data key. */
  keyEncryptionKey: Buffer;
}

/**
 * The workspace's restic repository password. It lives in two places that back each other up: envelope-encrypted
 * in our database, and in clear in the `hks-repository-key` Secrets of the vCluster the backup pods read it from.
 * Losing the Secrets: the reconciler re-applies them from the database. Losing the database: the key is adopted
 * from a Secret on first need rather than replaced, so existing repositories stay readable.
 */
export class RepositoryKeyService {
  private readonly repo: RepositoryKeyRepository;

  constructor(private readonly deps: RepositoryKeyDeps) {
    this.repo = new RepositoryKeyRepository(deps.db);
  }

  /** The password, generated (or adopted from the vCluster) on first need. Never log it. */
  async passwordFor(workspace: Pick<WorkspaceRecord, "id" | "vclusterName">): Promise<string> {
    const stored = await this.repo.get(workspace.id);
    if (stored) return open(this.deps.keyEncryptionKey, stored);
    const adopted = await this.fromCluster(this.deps.vclusters.forName(workspace.vclusterName));
    const password = adopted ?? randomBytes(32).toString("base64url");
    const saved = await this.repo.insertOnce({
      workspaceId: workspace.id,
      ...seal(this.deps.keyEncryptionKey, password),
      origin: adopted ? "ADOPTED" : "GENERATED",
    });
    return open(this.deps.keyEncryptionKey, saved);
  }

  /**
   * Makes the namespace's key Secret hold the workspace's password; writes only when it is missing or differs. `live`
   * is the Secret as the caller read it (null: none), `cached` says it came from a watch cache: one that may not hold
   * our own write of a moment ago yet, so the Secret itself decides before anything is written. The write is a
   * server-side apply, which creates or converges and never fails as "already exists": a second one changes nothing.
   */
  async ensureSecret(
    client: VClusterClient,
    workspace: Pick<WorkspaceRecord, "id" | "vclusterName">,
    namespace: string,
    live?: V1Secret | null,
    options: { cached?: boolean } = {},
  ) {
    const password = await this.passwordFor(workspace);
    const read = () =>
      client.read<V1Secret>({ ...SECRET, metadata: { name: repositoryKeySecretManifest(namespace, "").metadata!.name!, namespace } });
    let current = live !== undefined ? live : await read();
    if (passwordOf(current ?? undefined) !== password && options.cached && live !== undefined) current = await read();
    if (passwordOf(current ?? undefined) === password) return false;
    await client.apply(repositoryKeySecretManifest(namespace, password));
    return true;
  }

  /** The key Secrets of a vCluster, by namespace (listed: without a watch of them). */
  async liveSecrets(client: VClusterClient): Promise<Map<string, V1Secret>> {
    return keySecretsByNamespace(await client.list<V1Secret>(SECRET.apiVersion, SECRET.kind, undefined, REPOSITORY_KEY_LABEL));
  }

  /** Hands the key to a Workspace Admin who typed the workspace's slug; every export is recorded. */
  async export(viewer: Viewer, workspaceId: string, confirm: string): Promise<string> {
    const { workspace, role } = await this.deps.workspaces.requireMember(viewer, workspaceId);
    if (role !== "ADMIN") throw forbidden(`Only a Workspace Admin of '${workspace.name}' can export its repository key.`);
    if (confirm.trim() !== workspace.slug) {
      throw invalidInput("confirm", `Type the workspace's slug '${workspace.slug}' to confirm that you want the key in clear.`);
    }
    const password = await this.passwordFor(workspace);
    await this.repo.recordExport({ workspaceId: workspace.id, userId: viewer.userId, userEmail: viewer.email });
    return password;
  }

  /** Recent exports, for admins; members see none. */
  async exports(viewer: Viewer, workspaceId: string): Promise<RepositoryKeyExportRecord[]> {
    if (viewer.roles.get(workspaceId) !== "ADMIN") return [];
    return this.repo.exports(workspaceId);
  }

  private async fromCluster(client: VClusterClient): Promise<string | undefined> {
    const secrets = await client.list<V1Secret>(SECRET.apiVersion, SECRET.kind, undefined, REPOSITORY_KEY_LABEL);
    const oldest = secrets
      .filter((s) => passwordOf(s))
      .sort((a, b) => String(a.metadata?.creationTimestamp ?? "").localeCompare(String(b.metadata?.creationTimestamp ?? "")))[0];
    return passwordOf(oldest);
  }
}

/** Key Secrets (listed, or from a watch of REPOSITORY_KEY_LABEL) by their namespace: one per namespace. */
export function keySecretsByNamespace(secrets: V1Secret[]): Map<string, V1Secret> {
  return new Map(secrets.map((s) => [s.metadata?.namespace ?? "", s]));
}
