import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, parseResult } from "./index.js";
import { keyFile, mixedTree, repoFiles, runRestic } from "./restic.test-helpers.js";
import { ENTRY, tempDir, writeTree } from "./run.test-helpers.js";

const resticUp = spawnSync("restic", ["version"]).status === 0 && spawnSync("rclone", ["version"]).status === 0;
if (!resticUp) console.warn("restic or rclone is not installed; off-node copy tests skipped");
const root = tempDir("hks-restic-copy-");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A loopback address of its own (127.x.y.z all route to lo on Linux) and a port no fixed service uses. */
const address = () => `127.${100 + (randomBytes(1)[0]! % 100)}.${randomBytes(1)[0]!}.${1 + (randomBytes(1)[0]! % 250)}`;
const port = () => 20_000 + (randomBytes(2).readUInt16BE() % 30_000);

const reachable = (host: string, p: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect({ host, port: p }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });

/** Starts serve mode as the primary's pod would; resolves once it answers. */
async function serve(repo: string, env: Record<string, string>) {
  const host = address();
  const p = port();
  const termLog = path.join(tempDir("hks-serve-"), "termination-log");
  const child = spawn(ENTRY, [], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HKS_FORMAT: "restic",
      HKS_MODE: "serve",
      HKS_DEST_DIR: repo,
      HKS_SERVE_ADDR: `${host}:${p}`,
      HKS_TERMINATION_LOG: termLog,
      ...env,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.on("exit", (code) => resolve(code ?? -1)));
  for (let i = 0; i < 100 && !(await reachable(host, p)); i++) await new Promise((r) => setTimeout(r, 100));
  return {
    url: `rest:http://${host}:${p}/`,
    stderr: () => stderr,
    stop: async () => {
      child.kill("SIGTERM");
      const code = await exited;
      return { code, result: parseResult(readFileSync(termLog, "utf8"), code) };
    },
  };
}

describe.skipIf(!resticUp)("off-node copy: serve mode on the primary's node, copy mode on the copy's", () => {
  const key = keyFile(root);
  const src = path.join(root, "src");
  const primary = path.join(root, "node-a/backup/app/data");
  const copy = path.join(root, "node-b/backup/app/data");
  writeTree(src, mixedTree(20, 20_000));
  const backup = (run: string) =>
    runRestic(key, { HKS_FUNCTION: "files", HKS_SOURCE_DIR: src, HKS_DEST_DIR: primary, HKS_RUN_ID: run, HKS_KEEP_LAST: "2" });
  const credentials = { HKS_SERVE_USER: "copy-1", HKS_SERVE_PASSWORD: randomBytes(12).toString("hex") };
  const pull = (url: string, user = credentials.HKS_SERVE_USER, password = credentials.HKS_SERVE_PASSWORD) =>
    runRestic(key, {
      HKS_MODE: "copy",
      HKS_DEST_DIR: copy,
      HKS_COPY_REPO: copy,
      HKS_COPY_FROM: url,
      HKS_COPY_FROM_USER: user,
      HKS_COPY_FROM_PASSWORD: password,
      HKS_KEEP_LAST: "2",
    });
  const snapshots = (repo: string) =>
    (
      JSON.parse(spawnSync("restic", ["-r", repo, "--password-file", key, "snapshots", "--json"], { encoding: "utf8" }).stdout) as Array<{
        time: string;
        tags: string[];
      }>
    )
      .map((s) => `${s.time} ${s.tags.join(",")}`)
      .sort();

  const backupIds = (repo: string) =>
    (
      JSON.parse(spawnSync("restic", ["-r", repo, "--password-file", key, "snapshots", "--json"], { encoding: "utf8" }).stdout) as Array<{
        id: string;
        time: string;
      }>
    )
      .sort((a, b) => a.time.localeCompare(b.time))
      .map((s) => s.id);

  it("pulls every backup snapshot over HTTP into a new repository, applies retention there, and copies only what is missing", async () => {
    for (const run of ["r1", "r2", "r3"]) expect(backup(run).code).toBe(EXIT.SUCCEEDED);
    const server = await serve(primary, credentials);
    const first = pull(server.url);
    expect(first.code, first.stderr + server.stderr()).toBe(EXIT.SUCCEEDED);
    expect(first.json).toMatchObject({ mode: "copy", copied: 2, copySnapshotCount: 2, copyFrom: server.url.slice(5) });
    // the credentials never reach the result nor the log
    expect(first.raw + first.stderr).not.toContain(credentials.HKS_SERVE_PASSWORD);
    expect(snapshots(copy)).toEqual(snapshots(primary));

    appendFileSync(path.join(src, "d0/f0.txt"), "changed after the first copy\n");
    expect(backup("r4").code).toBe(EXIT.SUCCEEDED);
    const second = pull(server.url);
    expect(second.code, second.stderr).toBe(EXIT.SUCCEEDED);
    expect(second.json).toMatchObject({ copied: 1, copySnapshotCount: 2 });
    expect(second.result.pruned).toHaveLength(1);
    expect(snapshots(copy)).toEqual(snapshots(primary));
    const dumped = runRestic(key, { HKS_MODE: "dump", HKS_DEST_DIR: copy, HKS_SNAPSHOT: "latest", HKS_PATH: "/d0/f0.txt" });
    expect(dumped.stdout).toBe(readFileSync(path.join(src, "d0/f0.txt"), "utf8"));

    // a restore from the copy is asked for by the primary's snapshot id, as the run recorded it
    const latest = backupIds(primary).at(-1)!;
    const target = path.join(root, "restored");
    const restored = runRestic(key, {
      HKS_MODE: "restore",
      HKS_DEST_DIR: copy,
      HKS_SNAPSHOT: latest,
      HKS_SNAPSHOT_OF_PRIMARY: "true",
      HKS_RESTORE_DIR: target,
    });
    expect(restored.code, restored.stderr).toBe(EXIT.SUCCEEDED);
    expect(readFileSync(path.join(target, "d0/f0.txt"), "utf8")).toBe(readFileSync(path.join(src, "d0/f0.txt"), "utf8"));
    const notCopied = runRestic(key, {
      HKS_MODE: "restore",
      HKS_DEST_DIR: copy,
      HKS_SNAPSHOT: "0123456789abcdef",
      HKS_SNAPSHOT_OF_PRIMARY: "true",
      HKS_RESTORE_DIR: path.join(root, "restored-2"),
    });
    expect(notCopied.code).toBe(EXIT.SOURCE_MISSING);
    expect(notCopied.result.message).toMatch(/not in the off-node copy .*not copied yet/);

    const again = pull(server.url);
    expect(again.json).toMatchObject({ copied: 0, copySnapshotCount: 2 });

    const stopped = await server.stop();
    expect(stopped.code).toBe(EXIT.SUCCEEDED);
    expect(stopped.result.message).toMatch(/Served the repository .* until stopped by SIGTERM/);
  });

  it("refuses wrong credentials and an unreachable primary with what happened, and changes nothing", async () => {
    const server = await serve(primary, credentials);
    const before = repoFiles(copy, "snapshots");
    const wrong = pull(server.url, credentials.HKS_SERVE_USER, "not-the-password");
    expect(wrong.code).toBe(EXIT.ERROR);
    expect(wrong.result.message).toMatch(/refused this copy's credentials \(HTTP 401\)/);
    await server.stop();
    const gone = pull(server.url);
    expect(gone.code).toBe(EXIT.ERROR);
    expect(gone.result.message).toMatch(/could not be reached.*serving pod on the primary's node is not running.*retried at the next run/);
    expect(repoFiles(copy, "snapshots")).toEqual(before);
  });

  it("never serves without credentials, nor a folder that holds no repository", async () => {
    const bare = runRestic(undefined, { HKS_MODE: "serve", HKS_DEST_DIR: primary, HKS_SERVE_ADDR: `${address()}:${port()}` });
    expect(bare.code).toBe(EXIT.ERROR);
    expect(bare.result.message).toMatch(/never served without credentials/);
    const empty = runRestic(undefined, {
      HKS_MODE: "serve",
      HKS_DEST_DIR: path.join(root, "nothing-here"),
      HKS_SERVE_ADDR: `${address()}:${port()}`,
      ...credentials,
    });
    expect(empty.code).toBe(EXIT.SOURCE_MISSING);
    expect(existsSync(path.join(root, "nothing-here"))).toBe(false);
  });
});
