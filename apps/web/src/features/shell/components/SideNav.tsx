import { NavLink } from "react-router";

/** Sections of a workspace. */
const SECTIONS: readonly { path: string; label: string }[] = [
  { path: "storage", label: "Storage" },
  { path: "applications", label: "Applications" },
];

export function SideNav({ workspaceId }: { workspaceId: string }) {
  return (
    <nav className="side-nav" aria-label="Sections">
      <ul>
        {SECTIONS.map((s) => (
          <li key={s.path}>
            <NavLink
              to={`/w/${encodeURIComponent(workspaceId)}/${s.path}`}
              className={({ isActive }) => (isActive ? "nav-link active" : "nav-link")}
            >
              {s.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
