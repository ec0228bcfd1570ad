import { createBrowserRouter, Navigate, Outlet, redirect } from "react-router";
import type { LoaderFunctionArgs, ShouldRevalidateFunctionArgs } from "react-router";
import { RequireAuth } from "../features/auth/components/RequireAuth";
import { tokenStore } from "../features/auth/utils/token-store";
import { ShellQuery } from "../features/shell/graphql/shell-query";
import { lastWorkspace } from "../features/shell/utils/last-workspace";
import { prefetchStorage } from "../features/storage/utils/prefetch-storage";
import { apolloClientFor } from "./apollo-client";
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
 *
 * Loaders only start work (they never hold a navigation up): `/` goes to the workspace opened last without asking
 * the server first, and the Storage route starts its queries while its code loads.
 */
function rootLoader() {
  const remembered = tokenStore.get() ? lastWorkspace.get() : null;
  return remembered ? redirect(`/w/${encodeURIComponent(remembered)}/storage`) : null;
}

/** The shell's query (user, workspaces), cache-first as the layout asks for it: started before the section's code loads. */
function workspaceLoader() {
  const token = tokenStore.get();
  if (token)
    apolloClientFor(token)
      .query({ query: ShellQuery })
      .catch(() => undefined);
  return null;
}

function storageLoader({ params, request }: LoaderFunctionArgs) {
  const token = tokenStore.get();
  if (token && params["workspaceId"]) prefetchStorage(apolloClientFor(token), params["workspaceId"], new URL(request.url).searchParams);
  return null;
}

/** A new sort or filter is the table's to fetch; only another workspace is the route's. */
const storageRevalidates = ({ currentParams, nextParams }: ShouldRevalidateFunctionArgs) =>
  currentParams["workspaceId"] !== nextParams["workspaceId"];

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
      { index: true, loader: rootLoader, element: <RootRedirectPage /> },
      {
        path: "w/:workspaceId",
        loader: workspaceLoader,
        shouldRevalidate: () => false,
        element: <WorkspaceLayoutPage />,
        children: [
          { index: true, element: <Navigate to="storage" replace /> },
          {
            path: "storage",
            loader: storageLoader,
            shouldRevalidate: storageRevalidates,
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
