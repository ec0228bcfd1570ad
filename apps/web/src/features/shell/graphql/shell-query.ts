import { graphql } from "../../../gql";

/** The signed-in user and their workspaces, and what the platform is; used by the shell and the "/" redirect. */
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
    platform {
      ...LabNote_PlatformFragment
    }
  }
`);
