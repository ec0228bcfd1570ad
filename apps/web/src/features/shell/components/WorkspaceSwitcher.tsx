import { useId } from "react";
import { useNavigate } from "react-router";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";

export const WorkspaceSwitcher_UserFragment = graphql(`
  fragment WorkspaceSwitcher_UserFragment on User {
    memberships {
      role
      workspace {
        id
        name
        slug
      }
    }
  }
`);

export function WorkspaceSwitcher({
  user,
  currentWorkspaceId,
  section,
}: {
  user: FragmentType<typeof WorkspaceSwitcher_UserFragment>;
  currentWorkspaceId: string;
  section: string;
}) {
  const { memberships } = useFragment(WorkspaceSwitcher_UserFragment, user);
  const navigate = useNavigate();
  const id = useId();
  const known = memberships.some((m) => m.workspace.id === currentWorkspaceId);
  return (
    <div className="workspace-switcher">
      <label htmlFor={id} className="visually-hidden">
        Workspace
      </label>
      <select
        id={id}
        data-testid="workspace-switcher"
        value={known ? currentWorkspaceId : ""}
        onChange={(e) => void navigate(`/w/${encodeURIComponent(e.target.value)}/${section}`)}
      >
        {!known && (
          <option value="" disabled>
            Choose a workspace
          </option>
        )}
        {memberships.map((m) => (
          <option key={m.workspace.id} value={m.workspace.id}>
            {m.workspace.name} ({m.workspace.slug})
          </option>
        ))}
      </select>
    </div>
  );
}
