import { graphql } from "../../../gql";

/** The signed-in user and their workspaces; used by the shell and the "/" redirect. */
export const ShellQuery = graphql(`
  query Shell {
    me {
      id
      ...WorkspaceSwitcher_UserFragment
      ...UserMenu_UserFragment
      memberships {
        role
        workspace {
          id
        }
      }
    }
  }
`);
