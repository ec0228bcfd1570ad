import { spawnSync } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readSync,
  openSync,
  closeSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, resticDetails } from "./index.js";
import { keyFile, mixedTree, repoFiles, runRestic } from "./restic.test-helpers.js";
import { tempDir, writeTree } from "./run.test-helpers.js";

const resticUp = spawnSync("restic", ["version"]).status === 0;
const resticBin = spawnSync("sh", ["-c", "command -v restic"], { encoding: "utf8" }).stdout.trim();
if (!resticUp) console.warn("restic is not installed; restic tests skipped");
const root = tempDir("hks-restic-");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!resticUp)("HKS_FORMAT=restic", () => {
  const key = keyFile(root);
  const src = path.join(root, "src");
  const repo = path.join(root, "backup/app/data");
  const files = mixedTree(40, 50_000);
  writeTree(src, files);
  const sourceBytes = Object.values(files).reduce((n, c) => n + Buffer.byteLength(c), 0);
  let first = "";
  let second = "";

  it("backs up a folder into a new encrypted, compressed repository with the run's tags", () => {
    const r = runRestic(key, {
      HKS_FUNCTION: "files",
      HKS_SOURCE_DIR: src,
      HKS_DEST_DIR: repo,
      HKS_BACKUP_ID: "bk-1",
      HKS_RUN_ID: "run-1",
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({
      mode: "backup",
      function: "files",
      format: "restic",
      files: 40,
      filesNew: 40,
      backupId: "bk-1",
      runId: "run-1",
    });
    expect(r.result.sourceBytes).toBe(sourceBytes);
    // text compresses, random bytes do not: stored is well below what was read
    expect(r.result.bytes).toBeLessThan(sourceBytes * 0.7);
    expect(r.result.snapshot).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(path.join(repo, "config"))).toBe(true);
    // encrypted: no file content is readable in the repository
    const packs = repoFiles(repo, "data").filter((f) => /[0-9a-f]{64}$/.test(f));
    const firstText = files["d0/f0.txt"] as string;
    for (const p of packs) expect(readFileSync(path.join(repo, "data", p)).includes(firstText.slice(0, 40))).toBe(false);
    first = r.result.snapshot!;
  });

  it("deduplicates across runs: an unchanged source adds < 1% of its size, one changed file is counted as changed", () => {
    const r = runRestic(key, {
      HKS_FUNCTION: "files",
      HKS_SOURCE_DIR: src,
      HKS_DEST_DIR: repo,
      HKS_BACKUP_ID: "bk-1",
      HKS_RUN_ID: "run-2",
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({ filesNew: 0, filesChanged: 0, filesUnmodified: 40 });
    expect(r.result.bytes).toBeLessThan(sourceBytes / 100);
    appendFileSync(path.join(src, "d0/f0.txt"), "one more line\n");
    const r3 = runRestic(key, {
      HKS_FUNCTION: "files",
      HKS_SOURCE_DIR: src,
      HKS_DEST_DIR: repo,
      HKS_BACKUP_ID: "bk-1",
      HKS_RUN_ID: "run-3",
    });
    expect(r3.code, r3.stderr).toBe(EXIT.SUCCEEDED);
    expect(r3.json).toMatchObject({ filesNew: 0, filesChanged: 1, filesUnmodified: 39 });
    second = r3.result.snapshot!;
  });

  it("snapshots mode lists every snapshot with id, time, tags and size (the catalog can be rebuilt from it)", () => {
    const r = runRestic(key, { HKS_MODE: "snapshots", HKS_DEST_DIR: repo });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    const doc = JSON.parse(r.stdout) as { snapshots: Array<Record<string, unknown>> };
    expect(doc.snapshots.map((s) => s.runId)).toEqual(["run-3", "run-2", "run-1"]);
    expect(doc.snapshots[0]).toMatchObject({ id: second, kind: "backup", backupId: "bk-1", paths: [src], totalFiles: 45 });
    expect(doc.snapshots[2]!.totalBytes).toBe(sourceBytes);
    expect(resticDetails(r.result)).toMatchObject({ kind: "snapshots", count: 3 });
  });

  it("stats mode reports stored bytes against the kept snapshots' logical size", () => {
    const r = runRestic(key, { HKS_MODE: "stats", HKS_DEST_DIR: repo });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    const d = resticDetails(r.result);
    expect(d).toMatchObject({ kind: "stats", snapshotCount: 3 });
    if (d?.kind !== "stats") throw new Error("no stats");
    expect(d.logicalBytes).toBeGreaterThan(3 * sourceBytes - 100);
    expect(d.dedupRatio).toBeGreaterThan(2.5);
  });

  it("ls lists a folder's entries with paging and finds names below it", () => {
    const r = runRestic(key, { HKS_MODE: "ls", HKS_DEST_DIR: repo, HKS_SNAPSHOT: first, HKS_PATH: "/d1", HKS_OFFSET: "2", HKS_LIMIT: "3" });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    const page = JSON.parse(r.stdout) as { total: number; items: Array<{ path: string }> };
    expect(page.total).toBe(8);
    expect(page.items.map((i) => i.path)).toEqual(["/d1/f16.txt", "/d1/f21.bin", "/d1/f26.txt"]);
    const s = runRestic(key, { HKS_MODE: "ls", HKS_DEST_DIR: repo, HKS_SNAPSHOT: first, HKS_SEARCH: "F3" });
    expect(s.code, s.stderr).toBe(EXIT.SUCCEEDED);
    expect((JSON.parse(s.stdout) as { items: Array<{ name: string }> }).items.map((i) => i.name).sort()).toEqual([
      "f3.bin",
      "f30.txt",
      "f31.bin",
      "f32.txt",
      "f33.bin",
      "f34.txt",
      "f35.bin",
      "f36.txt",
      "f37.bin",
      "f38.txt",
      "f39.bin",
    ]);
    const missing = runRestic(key, { HKS_MODE: "ls", HKS_DEST_DIR: repo, HKS_SNAPSHOT: first, HKS_PATH: "/nope" });
    expect(missing.code).toBe(EXIT.SOURCE_MISSING);
    expect(missing.result.message).toMatch(/holds no folder \/nope/);
  });

  it("refuses to browse or restore a snapshot the repository does not hold", () => {
    for (const mode of ["ls", "restore", "dump"]) {
      const r = runRestic(key, {
        HKS_MODE: mode,
        HKS_DEST_DIR: repo,
        HKS_SNAPSHOT: "deadbeef",
        HKS_PATH: "/d0/f0.txt",
        HKS_RESTORE_DIR: root,
      });
      expect(r.code, r.stderr).toBe(EXIT.SOURCE_MISSING);
      expect(r.result.message).toMatch(/^Snapshot deadbeef is not in the restic repository .*pruned by retention or never existed/);
    }
  });

  it("a whole restore into an empty claim, its size given by the server, starts restic once and still refuses a pruned snapshot", () => {
    // a restic on PATH that counts its starts: each start derives the repository key (~0.5 s by design)
    const shim = path.join(root, "counting-restic");
    mkdirSync(shim, { recursive: true });
    const starts = path.join(shim, "starts");
    writeFileSync(path.join(shim, "restic"), `#!/bin/sh\necho "$1" >> '${starts}'\nexec "${resticBin}" "$@"\n`, { mode: 0o755 });
    const sized = { HKS_SNAPSHOT_BYTES: String(sourceBytes), HKS_SNAPSHOT_FILES: "40", PATH: `${shim}:${process.env.PATH ?? ""}` };
    const claim = path.join(root, "claim-sized");
    const r = runRestic(key, { ...sized, HKS_MODE: "restore", HKS_DEST_DIR: repo, HKS_SNAPSHOT: first, HKS_RESTORE_DIR: claim });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(readFileSync(starts, "utf8").trim().split("\n")).toEqual(["restore"]);
    expect(r.json).toMatchObject({ files: 40, bytes: sourceBytes });
    for (const [rel, content] of Object.entries(files)) expect(readFileSync(path.join(claim, rel)).equals(Buffer.from(content))).toBe(true);

    const gone = path.join(root, "claim-sized-gone");
    const missing = runRestic(key, { ...sized, HKS_MODE: "restore", HKS_DEST_DIR: repo, HKS_SNAPSHOT: "deadbeef", HKS_RESTORE_DIR: gone });
    expect(missing.code, missing.stderr).toBe(EXIT.SOURCE_MISSING);
    expect(missing.result.message).toMatch(/^Snapshot deadbeef is not in the restic repository .*Nothing was changed/);
    expect(readdirSync(gone)).toEqual([]);
  });

  it("dump writes one file of a snapshot to stdout", () => {
    const r = runRestic(key, { HKS_MODE: "dump", HKS_DEST_DIR: repo, HKS_SNAPSHOT: first, HKS_PATH: "/d0/f0.txt" });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.stdout).toBe(files["d0/f0.txt"]);
    const out = path.join(root, "dumped.bin");
    const f = runRestic(key, { HKS_MODE: "dump", HKS_DEST_DIR: repo, HKS_SNAPSHOT: first, HKS_PATH: "/d1/f1.bin", HKS_OUTPUT_FILE: out });
    expect(f.code, f.stderr).toBe(EXIT.SUCCEEDED);
    expect(readFileSync(out).equals(files["d1/f1.bin"] as Buffer)).toBe(true);
    expect(f.result.bytes).toBe(50_000);
    const no = runRestic(key, { HKS_MODE: "dump", HKS_DEST_DIR: repo, HKS_SNAPSHOT: first, HKS_PATH: "/d0/none.txt" });
    expect(no.code).toBe(EXIT.SOURCE_MISSING);
  });

  it("restores one path into a folder of the claim, and refuses a path the snapshot does not hold", () => {
    const claim = path.join(root, "claim-partial");
    writeTree(claim, { "keep.txt": "mine\n" });
    const r = runRestic(key, {
      HKS_MODE: "restore",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: first,
      HKS_RESTORE_DIR: claim,
      HKS_RESTORE_CLAIM: "app-data",
      HKS_INCLUDE: "/d0/f0.txt",
      HKS_RESTORE_INTO: "restored",
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(readFileSync(path.join(claim, "restored/d0/f0.txt"), "utf8")).toBe(files["d0/f0.txt"]);
    expect(readdirSync(path.join(claim, "restored/d0"))).toEqual(["f0.txt"]);
    expect(readFileSync(path.join(claim, "keep.txt"), "utf8")).toBe("mine\n");

    const bad = runRestic(key, {
      HKS_MODE: "restore",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: first,
      HKS_RESTORE_DIR: claim,
      HKS_INCLUDE: "/d0/f0.txt\n/d9/missing.txt",
    });
    expect(bad.code).toBe(EXIT.SOURCE_MISSING);
    expect(bad.result.message).toMatch(/holds no \/d9\/missing\.txt.*Nothing was changed/);
    expect(readdirSync(claim).sort()).toEqual(["keep.txt", "restored"]);

    const clash = runRestic(key, { HKS_MODE: "restore", HKS_DEST_DIR: repo, HKS_SNAPSHOT: first, HKS_RESTORE_DIR: claim });
    expect(clash.code).toBe(EXIT.ERROR);
    expect(clash.result.message).toMatch(/claim|already holds .*nothing was changed.*set overwrite/);
  });

  it("an overwrite restore in place takes a safety snapshot of what it replaces", () => {
    const claim = path.join(root, "claim-inplace");
    writeTree(claim, { "d0/f0.txt": "edited since\n", "new.txt": "created since\n" });
    const r = runRestic(key, {
      HKS_MODE: "restore",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: first,
      HKS_RESTORE_DIR: claim,
      HKS_RESTORE_OVERWRITE: "true",
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(readFileSync(path.join(claim, "d0/f0.txt"), "utf8")).toBe(files["d0/f0.txt"]);
    expect(existsSync(path.join(claim, "new.txt"))).toBe(false);
    const safety = r.json.safetySnapshot as string;
    expect(r.result.message).toContain(`safety snapshot ${safety}`);
    const back = runRestic(key, { HKS_MODE: "dump", HKS_DEST_DIR: repo, HKS_SNAPSHOT: safety, HKS_PATH: "/new.txt" });
    expect(back.stdout).toBe("created since\n");
  });

  it("copies the snapshots to a second repository created with the same chunker parameters", () => {
    const copy = path.join(root, "offnode/app-data");
    const r = runRestic(key, { HKS_MODE: "copy", HKS_DEST_DIR: repo, HKS_COPY_REPO: copy });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({ copied: 3, copySnapshotCount: 3 });
    const config = (repoPath: string) =>
      JSON.parse(spawnSync("restic", ["-r", repoPath, "--password-file", key, "cat", "config"], { encoding: "utf8" }).stdout) as {
        chunker_polynomial: string;
      };
    expect(config(copy).chunker_polynomial).toBe(config(repo).chunker_polynomial);
    const again = runRestic(key, { HKS_MODE: "copy", HKS_DEST_DIR: repo, HKS_COPY_REPO: copy });
    expect(again.json).toMatchObject({ copied: 0, copySnapshotCount: 3 });
    const ls = runRestic(key, { HKS_MODE: "dump", HKS_DEST_DIR: copy, HKS_SNAPSHOT: "latest", HKS_PATH: "/d0/f0.txt" });
    expect(ls.stdout).toBe(`${files["d0/f0.txt"] as string}one more line\n`);
  });

  it("a missing or wrong key is reported as such, with the fix, and changes nothing", () => {
    const before = repoFiles(repo, "snapshots");
    const missing = runRestic(path.join(root, "no-such-key"), { HKS_FUNCTION: "files", HKS_SOURCE_DIR: src, HKS_DEST_DIR: repo });
    expect(missing.code).toBe(EXIT.KEY_INVALID);
    expect(missing.json).toMatchObject({ reason: "KEY_INVALID", snapshot: null });
    expect(missing.result.message).toMatch(/key file .*no-such-key is missing .*mount the workspace's backup key Secret/);
    const none = runRestic(undefined, { HKS_MODE: "snapshots", HKS_DEST_DIR: repo });
    expect(none.code).toBe(EXIT.KEY_INVALID);
    const wrong = keyFile(root, "replaced-key");
    for (const env of [
      { HKS_FUNCTION: "files", HKS_SOURCE_DIR: src },
      { HKS_MODE: "restore", HKS_SNAPSHOT: "latest", HKS_RESTORE_DIR: root },
      { HKS_MODE: "prune", HKS_KEEP_LAST: "1" },
    ]) {
      const r = runRestic(wrong, { ...env, HKS_DEST_DIR: repo });
      expect(r.code, r.stderr).toBe(EXIT.KEY_INVALID);
      expect(r.result.reason).toBe("KEY_INVALID");
      expect(r.result.message).toMatch(/key did not open the restic repository .*deleted or replaced.*nothing was changed/);
    }
    expect(repoFiles(repo, "snapshots")).toEqual(before);
  });

  it("a repository with flipped bytes in a pack file is reported as CORRUPT with what to do", () => {
    const ok = runRestic(key, { HKS_MODE: "verify", HKS_DEST_DIR: repo, HKS_READ_DATA_SUBSET: "100%" });
    expect(ok.code, ok.stderr).toBe(EXIT.SUCCEEDED);
    expect(ok.result.verified).toBe(true);
    // flip bytes in the middle of the largest pack (file data)
    const packs = repoFiles(repo, "data")
      .filter((f) => /[0-9a-f]{64}$/.test(f))
      .map((f) => path.join(repo, "data", f));
    const largest = packs.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
    const fd = openSync(largest, "r+");
    const at = Math.floor(statSync(largest).size / 2);
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, at);
    writeSync(fd, Buffer.from(buf.map((b) => b ^ 0xff)), 0, 16, at);
    closeSync(fd);
    const r = runRestic(key, { HKS_MODE: "verify", HKS_DEST_DIR: repo, HKS_READ_DATA_SUBSET: "100%" });
    expect(r.code, r.stderr).toBe(EXIT.CORRUPT);
    expect(r.json).toMatchObject({ reason: "CORRUPT", verified: false });
    expect(r.result.message).toMatch(/is damaged: restic check found errors.*off-node copy/);
  });

  it("refuses tar and rsync as restic functions and unknown modes", () => {
    mkdirSync(path.join(root, "x"), { recursive: true });
    const r = runRestic(key, { HKS_FUNCTION: "tar", HKS_SOURCE_DIR: src, HKS_DEST_DIR: path.join(root, "x") });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.result.message).toMatch(/tar and rsync are the plain formats/);
    expect(readdirSync(path.join(root, "x"))).toEqual([]);
  });
});
