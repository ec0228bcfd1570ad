import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, freePort } from "../../apps/server/src/test/local.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SERVER_MAIN = path.join(repo, "apps/server/dist/main.js");

/** A throwaway database on the local PostgreSQL server (TEST_DATABASE_URL), dropped by `drop()`. */
export const createDatabase = () => createTestDatabase("hks_bench");

export interface BenchServer {
  url: string;
  /** HKS_DATA_DIR: in lab mode the lab's kubeconfigs and Proxmox credentials are under lab/. */
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The built server in its own process, in lab mode (embedded lab, seeded users), on a free port; resolves
 * once `/readyz` says the database is reachable and migrated.
 */
export async function startServer(options: { databaseUrl?: string; env?: Record<string, string> } = {}): Promise<BenchServer> {
  // The free port can be taken again before the server binds it (the embedded lab binds ports first): try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startServerOnce(options);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes("EADDRINUSE")) throw error;
    }
  }
}

async function startServerOnce(options: { databaseUrl?: string; env?: Record<string, string> }): Promise<BenchServer> {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: build the server first (pnpm build)`);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "hks-bench-"));
  const port = await freePort();
  // Run as deploy/Dockerfile's CMD runs it.
  const child = spawn(process.execPath, ["--max-semi-space-size=32", SERVER_MAIN], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      HOST: "127.0.0.1",
      PORT: String(port),
      HKS_DATA_DIR: dataDir,
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString().split("\n").filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 40));
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${tail.join("\n")}`);
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, dataDir, child, stop };
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`the server was not ready within 120 s:\n${tail.join("\n")}`);
}

/** Signs a lab user in; returns the bearer token. */
export async function signIn(url: string, email = "admin@acme.test"): Promise<string> {
  const { data } = await graphql<{ login: { token: string } }>(
    url,
    `
      mutation ($email: String!) {
        login(email: $email, password: "hks-lab") {
          token
        }
      }
    `,
    { email },
  );
  return data.login.token;
}

export async function graphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<{ data: T }> {
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
  const { data } = await graphql<{ workspaces: Array<{ id: string; slug: string }> }>(
    url,
    `
      {
        workspaces {
          id
          slug
        }
      }
    `,
    {},
    token,
  );
  return data.workspaces.find((w) => w.slug === slug)!.id;
}

export { freePort };
