import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "./index.js";
import { keyFile, repoFiles, runRestic } from "./restic.test-helpers.js";
import { tempDir, writeTree } from "./run.test-helpers.js";

const root = tempDir("hks-restic-trust-");
const key = keyFile(root);
const resticUp = spawnSync("restic", ["version"]).status === 0;
// a 3 MiB tmpfs as a full backup volume (needs root / CAP_SYS_ADMIN)
const small = path.join(root, "small");
mkdirSync(small);
const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", small], { encoding: "utf8" }).status === 0;
if (!mounted) console.warn("cannot mount a size-limited tmpfs: the full-volume test is skipped");
afterAll(() => {
  if (mounted) spawnSync("umount", [small]);
  rmSync(root, { recursive: true, force: true });
});

/** restic as an operator runs it, on a repository of this file. */
function restic(repo: string, args: string[]) {
  const p = spawnSync("restic", ["-r", repo, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, RESTIC_PASSWORD_FILE: key, RESTIC_CACHE_DIR: path.join(root, "cache") },
  });
  expect(p.status, p.stderr).toBe(0);
  return p.stdout;
}

const snapshotsOf = (repo: string, kind: string) =>
  (JSON.parse(restic(repo, ["snapshots", "--json", "--tag", `hks-kind:${kind}`])) as Array<{ id: string; time: string }>) ?? [];

/** Flips bytes in the middle of every pack file the repository holds now. */
function damagePacks(repo: string): void {
  for (const f of repoFiles(repo, "data").filter((n) => /[0-9a-f]{64}$/.test(n))) {
    const file = path.join(repo, "data", f);
    const fd = openSync(file, "r+");
    const at = Math.floor(statSync(file).size / 2);
    const buf = Buffer.alloc(32);
    readSync(fd, buf, 0, 32, at);
    writeSync(fd, Buffer.from(buf.map((b) => b ^ 0xff)), 0, 32, at);
    closeSync(fd);
  }
}

describe.skipIf(!resticUp)("restic: figures, safety snapshots and the errors a person acts on", () => {
  it("a backup's result carries the repository's size after retention pruned (the stored side of the ratio)", () => {
    const src = path.join(root, "fig-src");
    const repo = path.join(root, "fig-repo");
    writeTree(src, { "a.bin": randomBytes(300_000) });
    const first = runRestic(key, { HKS_FUNCTION: "files", HKS_SOURCE_DIR: src, HKS_DEST_DIR: repo, HKS_NOW: "2026-11-01T02:00:00Z" });
    expect(first.code, first.stderr).toBe(EXIT.SUCCEEDED);
    writeTree(src, { "a.bin": randomBytes(300_000) });
    const second = runRestic(key, {
      HKS_FUNCTION: "files",
      HKS_SOURCE_DIR: src,
      HKS_DEST_DIR: repo,
      HKS_KEEP_LAST: "1",
      HKS_NOW: "2026-11-02T02:00:00Z",
    });
    expect(second.code, second.stderr).toBe(EXIT.SUCCEEDED);
    expect(second.json.pruned).toEqual([first.result.snapshot]);
    const du = Number(spawnSync("du", ["-sb", repo], { encoding: "utf8" }).stdout.split("\t")[0]);
    // measured after the prune: one snapshot's data, not two (the first run's 300 kB are gone)
    expect(second.json.repoBytes).toBe(du);
    expect(second.json.repoBytes as number).toBeLessThan((first.json.repoBytes as number) + 150_000);
    expect(second.json.bytesRead).toBe(300_000);
  });

  it("an overwrite restore that fails after its safety snapshot names it, and restoring that snapshot puts the claim back", () => {
    const src = path.join(root, "fail-src");
    const repo = path.join(root, "fail-repo");
    const claim = path.join(root, "fail-claim");
    writeTree(src, { "old.bin": randomBytes(400_000) });
    const b = runRestic(key, { HKS_FUNCTION: "files", HKS_SOURCE_DIR: src, HKS_DEST_DIR: repo });
    expect(b.code, b.stderr).toBe(EXIT.SUCCEEDED);
    damagePacks(repo);
    const now = { "live.bin": randomBytes(500_000), "docs/notes.txt": "what the admin wrote since\n" };
    writeTree(claim, now);
    const r = runRestic(key, {
      HKS_MODE: "restore",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: b.result.snapshot!,
      HKS_RESTORE_DIR: claim,
      HKS_RESTORE_CLAIM: "app-data",
      HKS_RESTORE_OVERWRITE: "true",
    });
    expect(r.code).not.toBe(EXIT.SUCCEEDED);
    const safety = r.json.safetySnapshot as string;
    expect(safety).toMatch(/^[0-9a-f]{8,64}$/);
    expect(r.result.message).toContain(`kept in safety snapshot ${safety}: restore it with overwrite to go back`);
    const back = runRestic(key, {
      HKS_MODE: "restore",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: safety,
      HKS_RESTORE_DIR: claim,
      HKS_RESTORE_CLAIM: "app-data",
      HKS_RESTORE_OVERWRITE: "true",
    });
    expect(back.code, back.stderr).toBe(EXIT.SUCCEEDED);
    expect(readdirSync(claim).sort()).toEqual(["docs", "live.bin"]);
    for (const [rel, content] of Object.entries(now)) expect(readFileSync(path.join(claim, rel)).equals(Buffer.from(content))).toBe(true);
  });

  it("keeps safety snapshots by their own rule (the last 3 and any younger than 7 days), never touching the backups", () => {
    const src = path.join(root, "keep-src");
    const repo = path.join(root, "keep-repo");
    const claim = path.join(root, "keep-claim");
    writeTree(src, { "data.txt": "the backed-up content\n" });
    const b = runRestic(key, { HKS_FUNCTION: "files", HKS_SOURCE_DIR: src, HKS_DEST_DIR: repo, HKS_KEEP_LAST: "1" });
    expect(b.code, b.stderr).toBe(EXIT.SUCCEEDED);
    // four safety snapshots from an earlier month, as older overwrite restores left them
    for (let day = 1; day <= 4; day++) {
      writeTree(claim, { "old.txt": `replaced on day ${day}\n` });
      restic(repo, ["backup", "--host", "hks", "--tag", "hks-kind:safety", "--time", `2026-10-0${day} 12:00:00`, claim]);
    }
    const r = runRestic(key, {
      HKS_MODE: "restore",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: b.result.snapshot!,
      HKS_RESTORE_DIR: claim,
      HKS_RESTORE_OVERWRITE: "true",
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    const kept = snapshotsOf(repo, "safety")
      .map((s) => s.time.slice(0, 10))
      .sort();
    expect(kept).toHaveLength(3);
    expect(kept.slice(0, 2)).toEqual(["2026-10-03", "2026-10-04"]);
    expect(snapshotsOf(repo, "backup").map((s) => s.id)).toEqual([b.result.snapshot]);
  });

  it("an overwrite restore with a key Secret that was replaced is KEY_INVALID with the fix, and overwrites nothing", () => {
    const src = path.join(root, "key-src");
    const repo = path.join(root, "key-repo");
    const claim = path.join(root, "key-claim");
    writeTree(src, { "a.txt": "backed up\n" });
    const b = runRestic(key, { HKS_FUNCTION: "files", HKS_SOURCE_DIR: src, HKS_DEST_DIR: repo });
    expect(b.code, b.stderr).toBe(EXIT.SUCCEEDED);
    writeTree(claim, { "live.txt": "the claim's own data\n" });
    const snapshotsBefore = repoFiles(repo, "snapshots");
    const r = runRestic(keyFile(root, "replaced-key"), {
      HKS_MODE: "restore",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: b.result.snapshot!,
      HKS_RESTORE_DIR: claim,
      HKS_RESTORE_CLAIM: "app-data",
      HKS_RESTORE_OVERWRITE: "true",
    });
    expect(r.code).toBe(EXIT.KEY_INVALID);
    expect(r.result.message).toMatch(
      /The key did not open the restic repository .*deleted or replaced.*Mount the key this repository was created with.*nothing was changed/,
    );
    expect(readdirSync(claim)).toEqual(["live.txt"]);
    expect(readFileSync(path.join(claim, "live.txt"), "utf8")).toBe("the claim's own data\n");
    expect(repoFiles(repo, "snapshots")).toEqual(snapshotsBefore);
    expect(r.json.safetySnapshot).toBeUndefined();
  });

  it.skipIf(!mounted)("a backup that fills the backup volume says what it needed and what was free", () => {
    const src = path.join(root, "big-src");
    writeTree(src, { "x.bin": randomBytes(2_000_000), "y.bin": randomBytes(2_000_000) });
    const repo = path.join(small, "repo");
    const r = runRestic(key, { HKS_FUNCTION: "files", HKS_SOURCE_DIR: src, HKS_DEST_DIR: repo });
    expect(r.code, r.stderr).toBe(EXIT.QUOTA_EXCEEDED);
    expect(r.json.neededBytes as number).toBeGreaterThanOrEqual(4_000_000);
    expect(r.result.message).toMatch(
      /is full \(No space left on device\) during restic backup of .*: it needed 3\.[0-9] MiB \(restic backup --dry-run: data it would add\), [0-9.]+ [KM]i?B of 3\.0 MiB was free\. Expand the backup volume by at least/,
    );
    expect(r.result.snapshot).toBeNull();
  });
});
