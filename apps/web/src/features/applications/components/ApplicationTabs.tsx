import { NavLink } from "react-router";

/** The application view's tabs; each is a route under /w/:workspaceId/applications/:applicationId. */
const TABS: readonly { path: string; label: string; end?: boolean }[] = [
  { path: "", label: "Overview", end: true },
  { path: "backups", label: "Backup" },
];

export function ApplicationTabs({ workspaceId, applicationId }: { workspaceId: string; applicationId: string }) {
  const base = `/w/${encodeURIComponent(workspaceId)}/applications/${encodeURIComponent(applicationId)}`;
  return (
    <nav className="tab-bar" aria-label="Application sections">
      <ul>
        {TABS.map((t) => (
          <li key={t.path}>
            <NavLink
              to={t.path ? `${base}/${t.path}` : base}
              end={t.end}
              className={({ isActive }) => (isActive ? "tab-link active" : "tab-link")}
            >
              {t.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
