import type { Viewer, WorkspaceRole } from "../../kernel/viewer.js";
import { ErrorCode, notFound, DomainError } from "../../kernel/errors.js";
import type { WorkspaceRepository, WorkspaceWithPlan } from "./workspace.repository.js";
import { checkForecastDays } from "./forecast-days.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface WorkspaceAccess {
  workspace: WorkspaceWithPlan;
  role: WorkspaceRole;
}

/** Membership rules: a viewer sees only their workspaces, and only a Workspace Admin changes storage. */
export class WorkspaceService {
  private readonly cache = new Map<string, { at: number; value: Promise<WorkspaceWithPlan | undefined> }>();

  constructor(private readonly workspaces: WorkspaceRepository) {}

  /**
   * A workspace and its plan for per-item fields (a volume's cost) without a query per row;
   * plans change rarely, so a few seconds of staleness is fine there and nowhere else.
   */
  async cachedWorkspace(id: string): Promise<WorkspaceWithPlan> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < 5_000) {
      const value = await hit.value;
      if (value) return value;
    }
    const value = this.workspaces.findById(id);
    this.cache.set(id, { at: Date.now(), value });
    const workspace = await value;
    if (!workspace) throw notFound(`Workspace '${id}'`);
    return workspace;
  }

  listForViewer(viewer: Viewer): Promise<WorkspaceWithPlan[]> {
    return this.workspaces.findByIds([...viewer.roles.keys()]);
  }

  /** A foreign workspace answers exactly like a missing one, so ids of other tenants reveal nothing. */
  async requireMember(viewer: Viewer, workspaceId: string): Promise<WorkspaceAccess> {
    const role = UUID.test(workspaceId) ? viewer.roles.get(workspaceId) : undefined;
    const workspace = role ? await this.workspaces.findById(workspaceId) : undefined;
    if (!role || !workspace) throw notFound(`Workspace '${workspaceId}'`);
    return { workspace, role };
  }

  async requireAdmin(viewer: Viewer, workspaceId: string): Promise<WorkspaceAccess> {
    const access = await this.requireMember(viewer, workspaceId);
    if (access.role !== "ADMIN") {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        `Only a Workspace Admin of '${access.workspace.name}' can change its storage; ask an admin of the workspace.`,
      );
    }
    return access;
  }

  /** The days of projected need the assistant sizes an expansion for: a Workspace Admin's choice. */
  async setForecastDays(viewer: Viewer, workspaceId: string, days: number): Promise<WorkspaceWithPlan> {
    const { workspace, role } = await this.requireMember(viewer, workspaceId);
    if (role !== "ADMIN") {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        `Only a Workspace Admin of '${workspace.name}' can change how far ahead expansions are sized; ask an admin of the workspace.`,
      );
    }
    await this.workspaces.setForecastDays(workspace.id, checkForecastDays(days));
    this.cache.delete(workspace.id);
    return (await this.workspaces.findById(workspace.id))!;
  }

  /** Why the workspace cannot provision storage, or null when it can (spec 2: Dedicated Plan only). */
  static provisioningBlockedReason(workspace: WorkspaceWithPlan): string | null {
    return workspace.plan.dedicated
      ? null
      : `Workspace '${workspace.name}' is on the ${workspace.plan.name} plan. Storage volumes need dedicated hardware: upgrade the workspace to a Dedicated Plan to provision storage.`;
  }

  static requireDedicatedPlan(workspace: WorkspaceWithPlan): void {
    const reason = WorkspaceService.provisioningBlockedReason(workspace);
    if (reason) throw new DomainError(ErrorCode.PLAN_REQUIRED, reason);
  }
}
