import { useNavigate } from "react-router";
import { useApolloClient } from "@apollo/client/react";
import { graphql, useFragment } from "../../../gql";
import type { FragmentType } from "../../../gql";
import { tokenStore } from "../../auth/utils/token-store";
import { roleLabel } from "../utils/role";

export const UserMenu_UserFragment = graphql(`
  fragment UserMenu_UserFragment on User {
    id
    email
    name
    memberships {
      role
      workspace {
        id
      }
    }
  }
`);

export function UserMenu({ user, currentWorkspaceId }: { user: FragmentType<typeof UserMenu_UserFragment>; currentWorkspaceId: string }) {
  const me = useFragment(UserMenu_UserFragment, user);
  const client = useApolloClient();
  const navigate = useNavigate();
  const role = me.memberships.find((m) => m.workspace.id === currentWorkspaceId)?.role;
  return (
    <div className="user-menu">
      <span className="user-identity">
        <span className="user-email" data-testid="user-email">
          {me.email}
        </span>
        {role && (
          <span className={`role-badge role-${role.toLowerCase()}`} data-testid="user-role">
            {roleLabel(role)}
          </span>
        )}
      </span>
      <button
        type="button"
        className="btn btn-ghost"
        onClick={() => {
          // Leave without a "from": the next person to sign in starts at their own workspace.
          void navigate("/sign-in", { replace: true });
          tokenStore.clear();
          void client.clearStore();
        }}
      >
        Sign out
      </button>
    </div>
  );
}
