import { useState } from "react";
import type { FormEvent } from "react";
import { useMutation } from "@apollo/client/react";
import { LoginMutation } from "../graphql/login";
import { tokenStore } from "../utils/token-store";
import { toUserErrors } from "../../../lib/graphql-errors";

const LAB_ACCOUNTS = [
  { email: "admin@acme.test", note: "Workspace Admin of acme (Dedicated Plan)" },
  { email: "dev@acme.test", note: "member of acme (read-only)" },
  { email: "admin@globex.test", note: "admin of globex (not a Dedicated Plan)" },
];

export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [login, { loading }] = useMutation(LoginMutation);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const { data } = await login({ variables: { email: email.trim(), password } });
      if (!data) throw new Error("Sign-in failed.");
      tokenStore.set(data.login.token);
      onSignedIn();
    } catch (err) {
      const [first] = toUserErrors(err);
      setError(
        first?.code === "UNAUTHENTICATED" || first?.code === "INVALID_INPUT"
          ? first.message || "Wrong email or password."
          : (first?.message ?? "Sign-in failed."),
      );
    }
  }

  return (
    <form className="sign-in-form" onSubmit={(e) => void submit(e)} aria-labelledby="sign-in-title" noValidate>
      <h1 id="sign-in-title">Sign in to HKS</h1>
      <p className="muted">Storage &amp; Backup for your workspace&apos;s Kubernetes cluster.</p>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <div className="field">
        <label htmlFor="sign-in-email">Email</label>
        <input
          id="sign-in-email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="sign-in-password">Password</label>
        <input
          id="sign-in-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <button type="submit" className="btn btn-primary btn-block" disabled={loading || !email || !password}>
        {loading ? "Signing in…" : "Sign in"}
      </button>
      <aside className="lab-hint" aria-label="Lab accounts">
        <p>
          Lab accounts (password <code>hks-lab</code>):
        </p>
        <ul>
          {LAB_ACCOUNTS.map((a) => (
            <li key={a.email}>
              <button type="button" className="link-button" onClick={() => setEmail(a.email)}>
                {a.email}
              </button>{" "}
              <span className="muted">— {a.note}</span>
            </li>
          ))}
        </ul>
      </aside>
    </form>
  );
}
