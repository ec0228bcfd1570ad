import { sql, type SQL } from "drizzle-orm";
import type { WorkspaceFence } from "../workspaces/workspace-share.js";

/**
 * A `held(workspace_id)` CTE: the workspaces among `fences` whose lease this replica still holds, each lease row locked
 * FOR KEY SHARE as holdFence does, so the statement that writes with it is fenced like the run tracker's writes (a
 * takeover's FOR UPDATE waits for it to commit; a replica whose lease lapsed or moved writes nothing for that workspace),
 * for all of a cycle's workspaces in one round trip instead of a transaction per workspace.
 */
export function heldLeases(fences: WorkspaceFence[]): SQL {
  const rows = JSON.stringify(fences.map((f) => ({ workspace_id: f.workspaceId, owner: f.owner, token: f.token })));
  return sql`held as (
    select l.workspace_id from workspace_leases l
    join json_to_recordset(${rows}::json) as f(workspace_id uuid, owner text, token bigint)
      on l.workspace_id = f.workspace_id and l.owner = f.owner and l.token = f.token
    where l.expires_at > now()
    for key share of l)`;
}
