import { Navigate, useLocation, useNavigate } from "react-router";
import { SignInForm } from "../features/auth/components/SignInForm";
import { useAuthToken } from "../features/auth/hooks/useAuthToken";

function fromState(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("/sign-in") ? from : "/";
}

export function SignInPage() {
  const token = useAuthToken();
  const navigate = useNavigate();
  const location = useLocation();
  const target = fromState(location.state);
  if (token) return <Navigate to={target} replace />;
  return (
    <main className="sign-in-page">
      <SignInForm onSignedIn={() => void navigate(target, { replace: true })} />
    </main>
  );
}
