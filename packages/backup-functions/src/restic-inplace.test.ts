import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "./index.js";
import { keyFile, runRestic } from "./restic.test-helpers.js";
import { runHks, tempDir, writeTree } from "./run.test-helpers.js";

const root = tempDir("hks-restic-inplace-");
const claim = path.join(root, "claim");
mkdirSync(claim);
// a 4 MiB tmpfs as the claim to restore into (needs root / CAP_SYS_ADMIN)
const resticUp = spawnSync("restic", ["version"]).status === 0;
const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", claim], { encoding: "utf8" });
const mounted = mount.status === 0;
if (!mounted) console.warn(`cannot mount a size-limited tmpfs (${(mount.stderr || "").trim()}); in-place restore tests skipped`);
afterAll(() => {
  if (mounted) spawnSync("umount", [claim]);
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!mounted || !resticUp)("in-place restore into a claim 60% full (4 MiB tmpfs)", () => {
  const key = keyFile(root);
  const repo = path.join(root, "backup/app");
  const original = { "a.bin": randomBytes(800_000), "b.bin": randomBytes(800_000), "docs/c.bin": randomBytes(900_000) };

  it("replaces the content with no spare room, after a safety snapshot of it", () => {
    writeTree(claim, original);
    const b = runRestic(key, { HKS_FUNCTION: "files", HKS_SOURCE_DIR: claim, HKS_DEST_DIR: repo });
    expect(b.code, b.stderr).toBe(EXIT.SUCCEEDED);
    // the claim changes: still 60% full, none of it the snapshot's
    rmSync(path.join(claim, "docs"), { recursive: true });
    writeTree(claim, { "a.bin": randomBytes(800_000), "b.bin": randomBytes(800_000), "later.bin": randomBytes(900_000) });

    // the plain format needs room for both copies and refuses
    const plainSrc = path.join(root, "plain-src");
    writeTree(plainSrc, original);
    const t = runHks({ HKS_FUNCTION: "tar", HKS_SOURCE_DIR: plainSrc, HKS_DEST_DIR: path.join(root, "plain") });
    expect(t.code, t.stderr).toBe(EXIT.SUCCEEDED);
    const plain = runHks({
      HKS_MODE: "restore",
      HKS_SNAPSHOT: t.result.snapshot!,
      HKS_DEST_DIR: path.join(root, "plain"),
      HKS_RESTORE_DIR: claim,
      HKS_RESTORE_OVERWRITE: "true",
    });
    expect(plain.code).toBe(EXIT.QUOTA_EXCEEDED);

    const r = runRestic(key, {
      HKS_MODE: "restore",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: b.result.snapshot!,
      HKS_RESTORE_DIR: claim,
      HKS_RESTORE_CLAIM: "app-data",
      HKS_RESTORE_OVERWRITE: "true",
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(readdirSync(claim).sort()).toEqual(["a.bin", "b.bin", "docs"]);
    for (const [rel, content] of Object.entries(original)) expect(readFileSync(path.join(claim, rel)).equals(content)).toBe(true);
    expect(r.result.message).toMatch(/on the claim app-data .*replaced content is kept in safety snapshot [0-9a-f]{8}/);
    const safety = runRestic(key, { HKS_MODE: "ls", HKS_DEST_DIR: repo, HKS_SNAPSHOT: r.json.safetySnapshot as string });
    expect((JSON.parse(safety.stdout) as { items: Array<{ name: string }> }).items.map((i) => i.name)).toEqual([
      "a.bin",
      "b.bin",
      "later.bin",
    ]);
  });

  it("a snapshot larger than the claim is refused, naming the claim and the room to add; nothing changes", () => {
    const big = path.join(root, "big");
    writeTree(big, { "x.bin": randomBytes(2_500_000), "y.bin": randomBytes(2_500_000) });
    const b = runRestic(key, { HKS_FUNCTION: "files", HKS_SOURCE_DIR: big, HKS_DEST_DIR: repo });
    expect(b.code, b.stderr).toBe(EXIT.SUCCEEDED);
    const r = runRestic(key, {
      HKS_MODE: "restore",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: b.result.snapshot!,
      HKS_RESTORE_DIR: claim,
      HKS_RESTORE_CLAIM: "app-data",
      HKS_RESTORE_OVERWRITE: "true",
    });
    expect(r.code).toBe(EXIT.QUOTA_EXCEEDED);
    expect(r.result.message).toMatch(
      /^The claim app-data \(mounted at .*\) is too small for snapshot [0-9a-f]{8}: .*Expand the claim to at least [0-9.]+ MiB \(by [0-9.]+ [KM]iB\), or restore into a new claim of at least [0-9.]+ MiB\. Nothing was changed\.$/,
    );
    expect(readdirSync(claim).sort()).toEqual(["a.bin", "b.bin", "docs"]);
    expect(r.json.safetySnapshot).toBeUndefined();
  });
});
