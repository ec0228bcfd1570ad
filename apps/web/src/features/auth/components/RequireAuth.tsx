import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useAuthToken } from "../hooks/useAuthToken";

/** Sends visitors without a token to /sign-in, remembering where they wanted to go. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const token = useAuthToken();
  const location = useLocation();
  if (!token) {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return <>{children}</>;
}
