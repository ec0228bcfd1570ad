import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync, existsSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, snapshotTime } from "./index.js";
import { runHks, sh, tempDir, writeTree } from "./run.test-helpers.js";

const root = tempDir("hks-tar-");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const files: Record<string, string | Buffer> = {
  "hello.txt": "hello world\n",
  "sub/data.bin": randomBytes(200_000),
  "sub/deeper/empty": "",
  "name with spaces & $(echo no).txt": "odd name\n",
};

function same(a: string, b: string) {
  for (const rel of Object.keys(files)) {
    expect(readFileSync(path.join(b, rel)).equals(readFileSync(path.join(a, rel))), rel).toBe(true);
  }
}

describe.each([
  ["zstd", ".tar.zst", "zstd"],
  ["gzip", ".tar.gz", "gzip"],
] as const)("tar with %s", (compression, suffix, tool) => {
  const src = path.join(root, compression, "src");
  const dest = path.join(root, compression, "backup/shop/files");
  writeTree(src, files);
  let snapshot = "";

  it("writes a verified archive that contains the files", () => {
    const r = runHks({
      HKS_FUNCTION: "tar",
      HKS_COMPRESSION: compression,
      HKS_SOURCE_DIR: src,
      HKS_DEST_DIR: dest,
      HKS_VERIFY: "true",
      HKS_NOW: "2026-11-26T02:00:00Z",
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({
      mode: "backup",
      function: "tar",
      outcome: "SUCCEEDED",
      reason: null,
      snapshot: `20261126T020000Z${suffix}`,
      verified: true,
      files: 4,
      pruned: [],
    });
    expect(r.result.bytes).toBeGreaterThan(200_000 * 0.9);
    expect(r.result.sourceBytes).toBeGreaterThan(200_000);
    expect(r.result.destTotalBytes).toBeGreaterThan(0);
    snapshot = r.result.snapshot!;
    expect(snapshotTime(snapshot)?.toISOString()).toBe("2026-11-26T02:00:00.000Z");
    expect(readdirSync(dest)).toEqual([snapshot]);
    const list = sh("bash", ["-c", `${tool} -dc -- "$1" | tar -tf -`, "x", path.join(dest, snapshot)]);
    expect(list.code).toBe(0);
    for (const rel of Object.keys(files)) expect(list.stdout).toContain(`./${rel}\n`);
  });

  it("verifies an existing snapshot and reports a corrupted one", () => {
    const ok = runHks({ HKS_MODE: "verify", HKS_SNAPSHOT: snapshot, HKS_DEST_DIR: dest });
    expect(ok.code).toBe(EXIT.SUCCEEDED);
    expect(ok.json).toMatchObject({ mode: "verify", function: "tar", verified: true, snapshot });
    // a truncated copy fails verification
    const bad = "20200101T000000Z" + suffix;
    const data = readFileSync(path.join(dest, snapshot));
    writeFileSync(path.join(dest, bad), data.subarray(0, Math.floor(data.length / 2)));
    const r = runHks({ HKS_MODE: "verify", HKS_SNAPSHOT: bad, HKS_DEST_DIR: dest });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.json).toMatchObject({ outcome: "FAILED", reason: "ERROR", verified: false, snapshot: bad });
    expect(r.result.message).toMatch(/failed verification/);
    rmSync(path.join(dest, bad));
  });

  it("restores into an empty folder byte for byte", () => {
    const target = path.join(root, compression, "restore-empty");
    const r = runHks({ HKS_MODE: "restore", HKS_SNAPSHOT: snapshot, HKS_DEST_DIR: dest, HKS_RESTORE_DIR: target });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({ mode: "restore", outcome: "SUCCEEDED", snapshot, files: 4 });
    same(src, target);
    expect(readdirSync(target).sort()).toEqual(readdirSync(src).sort());
  });

  it("refuses a non-empty target without overwrite and replaces it with overwrite", () => {
    const target = path.join(root, compression, "restore-full");
    writeTree(target, { "keep-me.txt": "precious", "hello.txt": "other" });
    const refused = runHks({ HKS_MODE: "restore", HKS_SNAPSHOT: snapshot, HKS_DEST_DIR: dest, HKS_RESTORE_DIR: target });
    expect(refused.code).toBe(EXIT.ERROR);
    expect(refused.json).toMatchObject({ outcome: "FAILED", reason: "ERROR" });
    expect(refused.result.message).toMatch(/is not empty; nothing was changed/);
    expect(readFileSync(path.join(target, "keep-me.txt"), "utf8")).toBe("precious");
    expect(readFileSync(path.join(target, "hello.txt"), "utf8")).toBe("other");
    expect(readdirSync(target).sort()).toEqual(["hello.txt", "keep-me.txt"]);

    const done = runHks({
      HKS_MODE: "restore",
      HKS_SNAPSHOT: snapshot,
      HKS_DEST_DIR: dest,
      HKS_RESTORE_DIR: target,
      HKS_RESTORE_OVERWRITE: "true",
    });
    expect(done.code, done.stderr).toBe(EXIT.SUCCEEDED);
    same(src, target);
    expect(existsSync(path.join(target, "keep-me.txt"))).toBe(false);
    expect(readdirSync(target).sort()).toEqual(readdirSync(src).sort());
  });

  it("reports a missing snapshot as SOURCE_MISSING", () => {
    const r = runHks({
      HKS_MODE: "restore",
      HKS_SNAPSHOT: "20000101T000000Z" + suffix,
      HKS_DEST_DIR: dest,
      HKS_RESTORE_DIR: path.join(root, "nowhere"),
    });
    expect(r.code).toBe(EXIT.SOURCE_MISSING);
    expect(r.json).toMatchObject({ reason: "SOURCE_MISSING" });
  });
});

describe("source problems", () => {
  it("a missing source is SOURCE_MISSING (66) and writes nothing", () => {
    const dest = path.join(root, "missing/dest");
    const r = runHks({ HKS_FUNCTION: "tar", HKS_SOURCE_DIR: path.join(root, "does-not-exist"), HKS_DEST_DIR: dest });
    expect(r.code).toBe(EXIT.SOURCE_MISSING);
    expect(r.json).toMatchObject({ outcome: "FAILED", reason: "SOURCE_MISSING", snapshot: null });
    expect(r.result.message).toMatch(/does not exist/);
    expect(existsSync(dest) ? readdirSync(dest) : []).toEqual([]);
  });

  it("an unset source is SOURCE_MISSING too", () => {
    const r = runHks({ HKS_FUNCTION: "rsync", HKS_DEST_DIR: path.join(root, "unset/dest") });
    expect(r.code).toBe(EXIT.SOURCE_MISSING);
  });

  it("a source that changes while tar reads it is PARTIALLY_SUCCEEDED (3)", () => {
    const src = path.join(root, "changing/src");
    const dest = path.join(root, "changing/dest");
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, "big.bin"), randomBytes(64 * 1024 * 1024));
    // a writer appends to the file while tar reads it
    const r = (() => {
      const writer = sh("bash", [
        "-c",
        `( for i in $(seq 1 400); do echo "$i" >> "$1/big.bin"; sleep 0.005; done ) >/dev/null 2>&1 & echo $!`,
        "x",
        src,
      ]);
      const run = runHks({
        HKS_FUNCTION: "tar",
        HKS_COMPRESSION: "gzip",
        HKS_SOURCE_DIR: src,
        HKS_DEST_DIR: dest,
        HKS_NOW: "2026-11-26T03:00:00Z",
      });
      sh("kill", [writer.stdout.trim()]);
      return run;
    })();
    if (r.code === EXIT.SUCCEEDED) {
      console.warn("the source did not change during the tar run on this machine; partial case not observed");
      return;
    }
    expect(r.code, r.raw).toBe(EXIT.PARTIAL);
    expect(r.json).toMatchObject({ outcome: "PARTIALLY_SUCCEEDED", reason: null, snapshot: "20261126T030000Z.tar.gz" });
    expect(r.result.message).toMatch(/changed while they were read/);
    expect(readdirSync(dest)).toEqual(["20261126T030000Z.tar.gz"]);
  });

  it("rejects an unknown function and an invalid policy before touching anything", () => {
    const dest = path.join(root, "invalid/dest");
    const r1 = runHks({ HKS_FUNCTION: "zip", HKS_SOURCE_DIR: root, HKS_DEST_DIR: dest });
    expect(r1.code).toBe(EXIT.ERROR);
    expect(r1.result.message).toMatch(/HKS_FUNCTION must be/);
    const r2 = runHks({ HKS_FUNCTION: "tar", HKS_SOURCE_DIR: root, HKS_DEST_DIR: dest, HKS_KEEP_LAST: "-1" });
    expect(r2.code).toBe(EXIT.ERROR);
    expect(r2.result.message).toMatch(/HKS_KEEP_LAST/);
    const r3 = runHks({ HKS_FUNCTION: "tar", HKS_SOURCE_DIR: root, HKS_DEST_DIR: dest, HKS_TIMEZONE: "Mars/Olympus" });
    expect(r3.code).toBe(EXIT.ERROR);
    expect(existsSync(dest)).toBe(false);
  });
});

describe("runs back to back", () => {
  it("a run whose second already holds a snapshot waits for the clock's next second instead of failing", () => {
    const src = path.join(root, "back-to-back/src");
    const dest = path.join(root, "back-to-back/dest");
    writeTree(src, files);
    mkdirSync(dest, { recursive: true });
    // Earlier runs took this second and the next one (two "run now" in a row).
    const stamp = (ms: number) =>
      new Date(ms)
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d+Z$/, "Z");
    const now = Date.now();
    const taken = [`${stamp(now)}.tar.zst`, `${stamp(now + 1000)}.tar.zst`];
    for (const name of taken) writeFileSync(path.join(dest, name), "an earlier run's snapshot");
    const r = runHks({ HKS_FUNCTION: "tar", HKS_SOURCE_DIR: src, HKS_DEST_DIR: dest });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(taken).not.toContain(r.result.snapshot);
    expect(readdirSync(dest).sort()).toEqual([...taken, r.result.snapshot!].sort());
    for (const name of taken) expect(readFileSync(path.join(dest, name), "utf8")).toBe("an earlier run's snapshot");
  });
});
