import { createBrowserRouter, Navigate, Outlet } from "react-router";
import { RequireAuth } from "../features/auth/components/RequireAuth";
import { NotFoundPage } from "../pages/NotFoundPage";
import { RootRedirectPage } from "../pages/RootRedirectPage";
import { WorkspaceLayoutPage } from "../pages/WorkspaceLayoutPage";

/**
 * Routes:
 *   /sign-in                    sign-in (lazy)
 *   /                           → /w/<first workspace>/storage
 *   /w/:workspaceId             → /w/:workspaceId/storage
 *   /w/:workspaceId/storage     Storage section (lazy)
 *   /w/:workspaceId/applications                              Applications list (lazy)
 *   /w/:workspaceId/applications/:applicationId               Application view, Overview tab (lazy)
 *   /w/:workspaceId/applications/:applicationId/backups       Application view, Backup tab (lazy)
 */
export const router = createBrowserRouter([
  {
    path: "/sign-in",
    lazy: async () => ({ Component: (await import("../pages/SignInPage")).SignInPage }),
  },
  {
    element: (
      <RequireAuth>
        <Outlet />
      </RequireAuth>
    ),
    children: [
      { index: true, element: <RootRedirectPage /> },
      {
        path: "w/:workspaceId",
        element: <WorkspaceLayoutPage />,
        children: [
          { index: true, element: <Navigate to="storage" replace /> },
          {
            path: "storage",
            lazy: async () => ({ Component: (await import("../pages/StoragePage")).StoragePage }),
          },
          {
            path: "applications",
            lazy: async () => ({ Component: (await import("../pages/ApplicationsPage")).ApplicationsPage }),
          },
          {
            path: "applications/:applicationId",
            lazy: async () => ({ Component: (await import("../pages/ApplicationPage")).ApplicationPage }),
            children: [
              {
                index: true,
                lazy: async () => ({
                  Component: (await import("../pages/ApplicationOverviewPage")).ApplicationOverviewPage,
                }),
              },
              {
                path: "backups",
                lazy: async () => ({
                  Component: (await import("../pages/ApplicationBackupsPage")).ApplicationBackupsPage,
                }),
              },
              { path: "*", element: <NotFoundPage /> },
            ],
          },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
]);
