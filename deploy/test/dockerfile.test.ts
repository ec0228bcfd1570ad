import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { minimatch } from "minimatch";
import { describe, expect, it } from "vitest";
import { OPERATIONAL_PATHS } from "../../apps/server/src/observability/paths.js";
import { dockerEnv, dockerfile, exists, repoRoot, type Instruction } from "./support.js";

const instructions = dockerfile();
const inStage = (stage: string, keyword: string) => instructions.filter((i) => i.stage === stage && i.keyword === keyword);
const runs = (stage: string) => inStage(stage, "RUN").map((i) => i.args);
const workdir = (stage: string) => inStage(stage, "WORKDIR").at(-1)!.args;
const rootPackage = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")) as {
  packageManager: string;
  engines: { node: string };
};

interface Copy {
  from?: string;
  sources: string[];
  destination: string;
}
const copies = (stage: string): Copy[] =>
  inStage(stage, "COPY").map((i: Instruction) => {
    const words = i.args.split(" ");
    const from = words.find((w) => w.startsWith("--from="))?.slice("--from=".length);
    const paths = words.filter((w) => !w.startsWith("--"));
    return { from, sources: paths.slice(0, -1), destination: paths.at(-1)! };
  });

/** Is `file` (relative to the build context) left out of the context by .dockerignore? Docker's rules: last match wins, `!` re-includes, a matched folder takes its contents. */
function ignored(file: string): boolean {
  const patterns = readFileSync(path.join(repoRoot, ".dockerignore"), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const prefixes = file.split("/").map((_, i, parts) => parts.slice(0, i + 1).join("/"));
  let excluded = false;
  for (const raw of patterns) {
    const negated = raw.startsWith("!");
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, "");
    if (prefixes.some((p) => minimatch(p, pattern, { dot: true }))) excluded = !negated;
  }
  return excluded;
}

describe("the image definition", () => {
  it("builds and runs on Node 20 slim Debian, with the repository's pnpm", () => {
    const bases = instructions.filter((i) => i.keyword === "FROM").map((i) => i.args);
    expect(bases).toEqual(["node:20-bookworm-slim AS build", "node:20-bookworm-slim AS runtime"]);
    expect(rootPackage.engines.node).toMatch(/^>=20\b/);
    const pnpm = rootPackage.packageManager.replace("pnpm@", "");
    expect(runs("build")).toContain(`npm install -g pnpm@${pnpm}`);
  });

  it("installs from the lockfile exactly and builds the server and the dashboard", () => {
    const build = runs("build");
    expect(build.some((r) => /^pnpm install .*--frozen-lockfile/.test(r))).toBe(true);
    expect(build.some((r) => r.includes("turbo run build --filter=@hks/server") && r.includes("turbo run build --filter=@hks/web"))).toBe(
      true,
    );
    expect(build.some((r) => /^pnpm --filter @hks\/server deploy --prod \/out\/apps\/server$/.test(r))).toBe(true);
  });

  it("copies into the build only files the context holds", () => {
    for (const copy of copies("build").filter((c) => !c.from)) {
      for (const source of copy.sources.filter((s) => s !== ".")) {
        expect(exists(source), source).toBe(true);
        expect(ignored(source), `${source} is in .dockerignore`).toBe(false);
      }
    }
  });

  it("leaves installed and built files out of the context, and every tracked file in", () => {
    for (const local of [
      "node_modules/x",
      "apps/server/node_modules/x",
      "apps/web/dist/index.html",
      "apps/server/dist/main.js",
      ".git/HEAD",
      ".hks/pglite",
    ]) {
      expect(ignored(local), local).toBe(true);
    }
    const tracked = execFileSync("git", ["ls-files"], { cwd: repoRoot, encoding: "utf8" }).split("\n").filter(Boolean);
    expect(tracked.length).toBeGreaterThan(100);
    expect(tracked.filter(ignored)).toEqual([]);
  });

  it("puts in the runtime image the built server and dashboard, where its ENV and CMD expect them", () => {
    expect(workdir("build")).toBe("/src");
    const app = workdir("runtime");
    const runtimeCopies = copies("runtime");
    expect(runtimeCopies.every((c) => c.from === "build")).toBe(true);
    const env = dockerEnv(instructions, "runtime");
    // The dashboard: built in the build stage's tree, copied to where HKS_WEB_DIST points.
    const web = runtimeCopies.find((c) => c.sources[0] === "/src/apps/web/dist")!;
    expect(path.posix.join(app, web.destination)).toBe(env["HKS_WEB_DIST"]);
    expect(exists("apps/web/dist/index.html")).toBe(true);
    // The server: the `pnpm deploy` output (its package's files: dist/ and migrations/), where CMD runs it.
    const server = runtimeCopies.find((c) => c.sources[0] === "/out/apps/server")!;
    const cmd = JSON.parse(inStage("runtime", "CMD")[0]!.args) as string[];
    expect(cmd[0]).toBe("node");
    // Node's own flags come first; the script is the last word.
    const main = path.posix.relative(server.destination, cmd.at(-1)!);
    expect(main).toBe("dist/main.js");
    expect(exists(path.join("apps/server", main))).toBe(true);
    const serverPackage = JSON.parse(readFileSync(path.join(repoRoot, "apps/server/package.json"), "utf8")) as {
      files: string[];
      main: string;
    };
    expect(serverPackage.files).toEqual(expect.arrayContaining(["dist", "migrations"]));
    expect(serverPackage.main).toBe(main);
    expect(existsSync(path.join(repoRoot, "apps/server/migrations/meta/_journal.json"))).toBe(true);
  });

  it("runs as a non-root user in production mode, listening on every interface on the port it exposes", () => {
    const user = inStage("runtime", "USER").at(-1)!.args;
    expect(user).toMatch(/^\d+(:\d+)?$/); // numeric, so Kubernetes can verify runAsNonRoot
    expect(Number(user.split(":")[0])).toBeGreaterThan(0);
    const env = dockerEnv(instructions, "runtime");
    expect(env).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0" });
    expect(inStage("runtime", "EXPOSE").map((i) => i.args)).toEqual([env["PORT"]]);
    expect(inStage("runtime", "HEALTHCHECK")[0]?.args).toContain(OPERATIONAL_PATHS.live);
  });

  it("carries no build tooling into the runtime image", () => {
    expect(runs("runtime").some((r) => /pnpm|npm install|apt-get/.test(r))).toBe(false);
  });
});
