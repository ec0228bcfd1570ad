import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SERVER_MAIN = path.join(repo, "apps/server/dist/main.js");
const ADMIN_URL = process.env["BENCH_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

/** A throwaway database on the local PostgreSQL server, dropped by `drop()`. */
export async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `hks_bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

export interface BenchServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The built server in its own process, in lab mode (embedded lab, seeded users), on a free port. */
export async function startServer(options: { databaseUrl?: string; env?: Record<string, string> } = {}): Promise<BenchServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-bench-"));
  const child = spawn(process.execPath, [SERVER_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      // The production "ready" line is an info line.
      LOG_LEVEL: "info",
      PORT: "0",
      HKS_DATA_DIR: dataDir,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready in [\d.]+ s: (http:\/\/\S+?)["\s]/.exec(output) ?? /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => reject(new Error(`server exited with ${code}: ${output.slice(-2000)}`)));
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Signs a lab user in; returns the bearer token. */
export async function signIn(url: string, email = "admin@acme.test"): Promise<string> {
  const { data } = await graphql<{ login: { token: string } }>(url, `mutation($email: String!) { login(email: $email, password: "hks-lab") { token } }`, { email });
  return data.login.token;
}

export async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<{ data: T }> {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return { data: body.data };
}

export async function workspaceId(url: string, token: string, slug = "acme"): Promise<string> {
  const { data } = await graphql<{ workspaces: Array<{ id: string; slug: string }> }>(url, `{ workspaces { id slug } }`, {}, token);
  return data.workspaces.find((w) => w.slug === slug)!.id;
}
