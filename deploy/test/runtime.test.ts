import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATIONAL_PATHS } from "../../apps/server/src/observability/paths.js";
import { dockerEnv, dockerfile, one, repoRoot } from "./support.js";

/**
 * The runtime image's file tree, made without Docker (there is no image registry here): the build stage's
 * own `pnpm deploy` command and the built dashboard, laid out as the runtime stage's COPYs lay them, then
 * the image's CMD run with the image's ENV and the manifests' ConfigMap and Secret, as Kubernetes would.
 */
const ADMIN_URL = process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";
const instructions = dockerfile();

let root: string;
let app: string;
let databaseName: string;
let child: ChildProcess | undefined;
let url: string;
const lines: Array<{ stream: string; text: string }> = [];

/** Every file and folder of the tree but the dependencies, with its modification time. */
const listing = (dir: string, prefix = ""): string[] =>
  readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .filter((e) => e.name !== "node_modules")
    .flatMap((e) => {
      const relative = path.join(prefix, e.name);
      const entry = `${relative}:${statSync(path.join(dir, relative)).mtimeMs}`;
      return e.isDirectory() ? [entry, ...listing(dir, relative)] : [entry];
    })
    .sort();
let before: string[];

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), "hks-image-"));
  app = path.join(root, "app");
  const copies = instructions
    .filter((i) => i.stage === "runtime" && i.keyword === "COPY")
    .map((i) => i.args.split(" ").filter((w) => !w.startsWith("--")) as [string, string]);
  // The build stage's deploy command. Its output (/out/apps/server) is copied to the same relative place
  // under /app, so it is deployed straight there rather than copied (200 MB of dependencies).
  const deploy = instructions.find((i) => i.stage === "build" && i.keyword === "RUN" && i.args.includes(" deploy "))!.args;
  const args = deploy.split(" ").slice(1);
  const target = args.find((a) => a.startsWith("/out/"))!;
  expect(copies).toContainEqual([target, target.slice("/out/".length)]);
  execFileSync(
    "pnpm",
    args.map((a) => (a === target ? path.join(app, target.slice("/out/".length)) : a)),
    { cwd: repoRoot, stdio: "pipe" },
  );
  // The other COPYs, /src being the repository.
  for (const [source, destination] of copies.filter(([s]) => s !== target)) {
    expect(source.startsWith("/src/"), source).toBe(true);
    cpSync(path.join(repoRoot, source.slice("/src/".length)), path.join(app, destination), { recursive: true });
  }
  before = listing(app);

  databaseName = `hks_image_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${databaseName}`);
  await admin.end();
  const databaseUrl = new URL(ADMIN_URL);
  databaseUrl.pathname = `/${databaseName}`;

  const imageEnv = dockerEnv(instructions, "runtime");
  const configMap = one<{ data: Record<string, string> }>("ConfigMap").data;
  const secret = one<{ stringData: Record<string, string> }>("Secret").stringData;
  const dataDir = path.join(root, "data");
  const cmd = JSON.parse(instructions.find((i) => i.stage === "runtime" && i.keyword === "CMD")!.args) as string[];
  child = spawn(process.execPath, cmd.slice(1), {
    cwd: app,
    // The container's environment, and nothing of this machine's but PATH.
    env: {
      PATH: process.env["PATH"],
      ...imageEnv,
      ...configMap,
      ...secret,
      DATABASE_URL: databaseUrl.toString(),
      // Where this machine differs from a pod: a free port on loopback, the data folder and dashboard under the temporary root.
      HOST: "127.0.0.1",
      PORT: "0",
      HKS_DATA_DIR: dataDir,
      HKS_WEB_DIST: path.join(app, path.relative("/app", imageEnv["HKS_WEB_DIST"]!)),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  url = await new Promise<string>((resolve, reject) => {
    for (const stream of ["stdout", "stderr"] as const) {
      let buffered = "";
      child![stream]!.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const complete = buffered.split("\n");
        buffered = complete.pop()!;
        for (const text of complete) {
          lines.push({ stream, text });
          const ready = /"message":"ready".*"url":"([^"]+)"/.exec(text);
          if (ready) resolve(ready[1]!);
        }
      });
    }
    child!.on("exit", (code) => reject(new Error(`the server exited with ${code}:\n${lines.map((l) => l.text).join("\n")}`)));
  });
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill("SIGKILL");
    await exited;
  }
  if (databaseName) {
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("the image's runtime tree, started as the Deployment starts it", () => {
  it("is ready against PostgreSQL with its migrations applied, and alive", async () => {
    const ready = await fetch(`${url}${OPERATIONAL_PATHS.ready}`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { status: string }).status).toBe("ready");
    expect((await fetch(`${url}${OPERATIONAL_PATHS.live}`)).status).toBe(200);
  });

  it("serves the built dashboard, for client-side routes too", async () => {
    const index = readFileSync(path.join(repoRoot, "apps/web/dist/index.html"), "utf8");
    for (const route of ["/", "/w/some-workspace/storage"]) {
      const res = await fetch(`${url}${route}`);
      expect(res.status, route).toBe(200);
      expect(await res.text(), route).toBe(index);
    }
  });

  it("answers GraphQL and exposes its metrics", async () => {
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "query Probe { me { id } }" }),
    });
    expect(((await res.json()) as { errors?: Array<{ extensions: { code: string } }> }).errors?.[0]?.extensions.code).toBe(
      "UNAUTHENTICATED",
    );
    const metrics = await (await fetch(`${url}${OPERATIONAL_PATHS.metrics}`)).text();
    expect(metrics).toContain('hks_graphql_request_duration_seconds_count{operation="Probe",type="query",outcome="error"} 1');
  });

  it("writes nothing but JSON lines, and nothing into its own (read-only) tree", async () => {
    await new Promise((r) => setTimeout(r, 200));
    expect(lines.length).toBeGreaterThan(0);
    for (const { stream, text } of lines) {
      expect(() => JSON.parse(text), `${stream}: ${text}`).not.toThrow();
      expect(JSON.parse(text)).toMatchObject({ time: expect.any(String), level: expect.any(String), message: expect.any(String) });
    }
    expect(lines.some((l) => l.text.includes('"message":"graphql operation"') && l.text.includes('"operation":"Probe"'))).toBe(true);
    expect(listing(app)).toEqual(before);
  });

  it("stops cleanly on SIGTERM within the pod's grace period", async () => {
    const pod = one<{ spec: { template: { spec: { terminationGracePeriodSeconds: number } } } }>("Deployment").spec.template.spec;
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      child!.once("exit", resolve);
      child!.kill("SIGTERM");
    });
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(pod.terminationGracePeriodSeconds * 1000);
  });
});
