import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "./index.js";
import { runHks, tempDir, writeTree } from "./run.test-helpers.js";

const root = tempDir("hks-rsync-");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("rsync", () => {
  const src = path.join(root, "src");
  const dest = path.join(root, "backup/app/data");
  writeTree(src, { "unchanged.bin": randomBytes(300_000), "changes.txt": "v1\n", "dir/nested.txt": "nested\n" });

  it("makes incremental snapshot folders with unchanged files hard-linked", () => {
    const r1 = runHks({
      HKS_FUNCTION: "rsync",
      HKS_SOURCE_DIR: src,
      HKS_DEST_DIR: dest,
      HKS_NOW: "2026-11-25T02:00:00Z",
      HKS_VERIFY: "true",
    });
    expect(r1.code, r1.stderr).toBe(EXIT.SUCCEEDED);
    expect(r1.json).toMatchObject({ function: "rsync", snapshot: "20261125T020000Z", files: 3, verified: true });
    expect(r1.result.bytes).toBeGreaterThan(300_000);

    // same size: rsync's quick check (size + mtime in seconds) needs a different mtime to see the change
    writeFileSync(path.join(src, "changes.txt"), "v2\n");
    utimesSync(path.join(src, "changes.txt"), new Date(Date.now() + 5000), new Date(Date.now() + 5000));
    writeFileSync(path.join(src, "added.txt"), "new\n");
    const r2 = runHks({
      HKS_FUNCTION: "rsync",
      HKS_SOURCE_DIR: src,
      HKS_DEST_DIR: dest,
      HKS_NOW: "2026-11-26T02:00:00Z",
      HKS_VERIFY: "true",
    });
    expect(r2.code, r2.stderr).toBe(EXIT.SUCCEEDED);
    expect(r2.json).toMatchObject({ snapshot: "20261126T020000Z", files: 4, verified: true });
    // only the changed and added files take new space
    expect(r2.result.bytes).toBeLessThan(100_000);
    expect(readdirSync(dest).sort()).toEqual(["20261125T020000Z", "20261126T020000Z"]);

    const a = statSync(path.join(dest, "20261125T020000Z/unchanged.bin"));
    const b = statSync(path.join(dest, "20261126T020000Z/unchanged.bin"));
    expect(b.ino).toBe(a.ino);
    expect(b.nlink).toBe(2);
    const c1 = statSync(path.join(dest, "20261125T020000Z/changes.txt"));
    const c2 = statSync(path.join(dest, "20261126T020000Z/changes.txt"));
    expect(c2.ino).not.toBe(c1.ino);
    expect(readFileSync(path.join(dest, "20261125T020000Z/changes.txt"), "utf8")).toBe("v1\n");
    expect(readFileSync(path.join(dest, "20261126T020000Z/changes.txt"), "utf8")).toBe("v2\n");
  });

  it("restores a snapshot folder", () => {
    const target = path.join(root, "restore");
    const r = runHks({ HKS_MODE: "restore", HKS_SNAPSHOT: "20261125T020000Z", HKS_DEST_DIR: dest, HKS_RESTORE_DIR: target });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({ mode: "restore", function: "rsync", files: 3 });
    expect(readFileSync(path.join(target, "changes.txt"), "utf8")).toBe("v1\n");
    expect(readFileSync(path.join(target, "unchanged.bin")).equals(readFileSync(path.join(src, "unchanged.bin")))).toBe(true);
    expect(readdirSync(target).sort()).toEqual(["changes.txt", "dir", "unchanged.bin"]);
  });

  it("verifies a snapshot folder", () => {
    const r = runHks({ HKS_MODE: "verify", HKS_SNAPSHOT: "20261126T020000Z", HKS_DEST_DIR: dest });
    expect(r.code).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({ verified: true, files: 4 });
  });

  it("refuses to reuse an existing snapshot name", () => {
    const r = runHks({ HKS_FUNCTION: "rsync", HKS_SOURCE_DIR: src, HKS_DEST_DIR: dest, HKS_NOW: "2026-11-26T02:00:00Z" });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.json).toMatchObject({ snapshot: null });
    expect(r.result.message).toMatch(/already exists/);
  });
});
