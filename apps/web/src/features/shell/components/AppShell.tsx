import type { ReactNode } from "react";
import { Link } from "react-router";
import type { FragmentType } from "../../../gql";
import { SideNav } from "./SideNav";
import { UserMenu, type UserMenu_UserFragment } from "./UserMenu";
import { WorkspaceSwitcher, type WorkspaceSwitcher_UserFragment } from "./WorkspaceSwitcher";

export function AppShell({
  user,
  workspaceId,
  section,
  children,
}: {
  user: FragmentType<typeof WorkspaceSwitcher_UserFragment> & FragmentType<typeof UserMenu_UserFragment>;
  workspaceId: string;
  section: string;
  children: ReactNode;
}) {
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          HKS <span className="brand-sub">Storage &amp; Backup</span>
        </Link>
        <WorkspaceSwitcher user={user} currentWorkspaceId={workspaceId} section={section} />
        <div className="header-spacer" />
        <UserMenu user={user} currentWorkspaceId={workspaceId} />
      </header>
      <div className="app-body">
        <SideNav workspaceId={workspaceId} />
        <main id="main" className="app-main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
