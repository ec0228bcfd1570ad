import { lazy, Suspense, useCallback, useEffect, useId, useRef, useState } from "react";
import type { ReactNode, RefObject } from "react";
import { Link } from "react-router";
import type { FragmentType } from "../../../gql";
import { AssistantButton } from "../../assistant/components/AssistantButton";
import { LabNote, type LabNote_PlatformFragment } from "./LabNote";
import { SideNav } from "./SideNav";
import { UserMenu, type UserMenu_UserFragment } from "./UserMenu";
import { WorkspaceSwitcher, type WorkspaceSwitcher_UserFragment } from "./WorkspaceSwitcher";

// The panel (conversation, proposals, reply form) loads when first opened: the header's button alone
// keeps the conversation live and counts unread messages.
const AssistantPanel = lazy(() => import("../../assistant/components/AssistantPanel").then((m) => ({ default: m.AssistantPanel })));

export function AppShell({
  user,
  platform,
  workspaceId,
  section,
  canAnswerAssistant,
  children,
}: {
  user: FragmentType<typeof WorkspaceSwitcher_UserFragment> & FragmentType<typeof UserMenu_UserFragment>;
  /** What the product runs on: on the lab, a note says once what its sizes mean. */
  platform: FragmentType<typeof LabNote_PlatformFragment>;
  workspaceId: string;
  section: string;
  /** Whether the viewer may answer the assistant here (Workspace Admins); members read. */
  canAnswerAssistant: boolean;
  children: ReactNode;
}) {
  const [assistantOpen, setAssistantOpen] = useState(false);
  const assistantButton = useRef<HTMLButtonElement>(null);
  const assistantPanelId = useId();
  const header = useRef<HTMLElement>(null);
  useHeaderHeightVariable(header);
  const closeAssistant = useCallback(() => {
    setAssistantOpen(false);
    assistantButton.current?.focus();
  }, []);

  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header ref={header} className="app-header">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          HKS <span className="brand-sub">Storage &amp; Backup</span>
        </Link>
        <WorkspaceSwitcher user={user} currentWorkspaceId={workspaceId} section={section} />
        <div className="header-spacer" />
        <AssistantButton
          ref={assistantButton}
          workspaceId={workspaceId}
          expanded={assistantOpen}
          controls={assistantPanelId}
          onToggle={() => setAssistantOpen((open) => !open)}
        />
        <UserMenu user={user} currentWorkspaceId={workspaceId} />
      </header>
      <div className="app-body">
        <SideNav workspaceId={workspaceId} />
        <main id="main" className="app-main" tabIndex={-1}>
          <LabNote platform={platform} />
          {children}
        </main>
        {assistantOpen && (
          <Suspense fallback={null}>
            <AssistantPanel
              key={workspaceId}
              id={assistantPanelId}
              workspaceId={workspaceId}
              canAnswer={canAnswerAssistant}
              onClose={closeAssistant}
            />
          </Suspense>
        )}
      </div>
    </div>
  );
}

/**
 * Publishes the header's height as --app-header-height, so the assistant panel (fixed over the page on
 * narrower screens) starts below it, however many lines the header wraps to. Set from script: the
 * page's CSP allows no inline styles in the HTML.
 */
function useHeaderHeightVariable(header: RefObject<HTMLElement | null>) {
  useEffect(() => {
    const el = header.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty("--app-header-height", `${el.getBoundingClientRect().height}px`));
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.removeProperty("--app-header-height");
    };
  }, [header]);
}
