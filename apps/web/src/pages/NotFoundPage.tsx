import { Link } from "react-router";

export function NotFoundPage() {
  return (
    <div className="page-state">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
      <Link to="/">Go to your workspace</Link>
    </div>
  );
}
