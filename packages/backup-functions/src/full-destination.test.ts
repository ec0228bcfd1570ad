import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "./index.js";
import { runHks, tempDir, writeTree } from "./run.test-helpers.js";

const root = tempDir("hks-full-");
const mnt = path.join(root, "backup");
mkdirSync(mnt);
// a 2 MiB tmpfs as the backup volume (needs root / CAP_SYS_ADMIN)
const mount = spawnSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt], { encoding: "utf8" });
const mounted = mount.status === 0;
const skipReason = mounted
  ? ""
  : `cannot mount a size-limited tmpfs here (${(mount.stderr || mount.error?.message || "").trim()}); full-destination tests skipped`;
if (!mounted) console.warn(skipReason);

afterAll(() => {
  if (mounted) spawnSync("umount", [mnt]);
  rmSync(root, { recursive: true, force: true });
});

const big = path.join(root, "big-src");
writeTree(big, { "random-1.bin": randomBytes(1_600_000), "random-2.bin": randomBytes(1_600_000) });

describe.skipIf(!mounted)("a full destination (2 MiB tmpfs)", () => {
  it.each(["tar", "rsync"] as const)("%s: a source larger than the free space fails fast with 28 (pre-check)", (fn) => {
    const dest = path.join(mnt, `pre-${fn}`);
    const r = runHks({ HKS_FUNCTION: fn, HKS_SOURCE_DIR: big, HKS_DEST_DIR: dest });
    expect(r.code, r.stderr).toBe(EXIT.QUOTA_EXCEEDED);
    expect(r.json).toMatchObject({ outcome: "FAILED", reason: "QUOTA_EXCEEDED", snapshot: null, pruned: [] });
    expect(r.result.message).toMatch(
      new RegExp(
        `^Destination ${dest} has [0-9.]+ MiB free but the source ${big} needs 3\\.1 MiB: expand the backup volume or lower retention\\.$`,
      ),
    );
    expect(r.result.destTotalBytes).toBe(2 * 1024 * 1024);
    expect(r.result.sourceBytes).toBeGreaterThan(3_200_000);
    expect(r.stderr).not.toMatch(/tar: archiving|rsync: copying/);
    expect(readdirSync(dest)).toEqual([]);
  });

  it.each([
    ["tar", "zstd"],
    ["tar", "gzip"],
    ["rsync", "zstd"],
  ] as const)("%s (%s): ENOSPC while writing is caught as 28 and leaves no partial", (fn, compression) => {
    const dest = path.join(mnt, `enospc-${fn}-${compression}`);
    const r = runHks({
      HKS_FUNCTION: fn,
      HKS_COMPRESSION: compression,
      HKS_SOURCE_DIR: big,
      HKS_DEST_DIR: dest,
      HKS_SIZE_ESTIMATE_FACTOR: "0.01",
      HKS_NOW: "2026-11-26T02:00:00Z",
      HKS_KEEP_LAST: "1",
    });
    expect(r.code, r.stderr).toBe(EXIT.QUOTA_EXCEEDED);
    expect(r.json).toMatchObject({ outcome: "FAILED", reason: "QUOTA_EXCEEDED", snapshot: null, pruned: [] });
    expect(r.result.message).toMatch(
      /ran out of space while writing snapshot .*No space left on device.*expand the volume or lower retention/,
    );
    expect(r.stderr).toMatch(/No space left on device/);
    expect(readdirSync(dest)).toEqual([]);
    // the space is given back
    expect(r.result.destFreeBytes).toBeGreaterThan(1_900_000);
  });

  it("a restore into a full target is 28 and leaves the target as it was", () => {
    const src = path.join(root, "small-src");
    writeTree(src, { "r.bin": randomBytes(1_500_000) });
    const dest = path.join(root, "snapshots");
    const b = runHks({ HKS_FUNCTION: "tar", HKS_SOURCE_DIR: src, HKS_DEST_DIR: dest, HKS_NOW: "2026-11-26T02:00:00Z" });
    expect(b.code).toBe(EXIT.SUCCEEDED);
    const target = path.join(mnt, "restore-target");
    mkdirSync(target);
    writeFileSync(path.join(target, "old.bin"), randomBytes(1_000_000));
    const r = runHks({
      HKS_MODE: "restore",
      HKS_SNAPSHOT: b.result.snapshot!,
      HKS_DEST_DIR: dest,
      HKS_RESTORE_DIR: target,
      HKS_RESTORE_OVERWRITE: "true",
      HKS_SIZE_ESTIMATE_FACTOR: "0.01",
    });
    expect(r.code, r.stderr).toBe(EXIT.QUOTA_EXCEEDED);
    expect(r.json).toMatchObject({ mode: "restore", reason: "QUOTA_EXCEEDED" });
    expect(readdirSync(target)).toEqual(["old.bin"]);
    rmSync(target, { recursive: true });
  });
});

describe.skipIf(mounted)("a full destination", () => {
  it.skip(skipReason || "skipped", () => {});
});
