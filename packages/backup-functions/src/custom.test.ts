import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "./index.js";
import { runHks, tempDir, writeTree } from "./run.test-helpers.js";

const root = tempDir("hks-custom-");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("custom", () => {
  const src = path.join(root, "src");
  writeTree(src, { "a.txt": "A\n" });

  it("runs the script with HKS_SOURCE_DIR and HKS_OUTPUT_DIR and keeps its output folder", () => {
    const dest = path.join(root, "dest");
    const script =
      'set -eu\ncp "$HKS_SOURCE_DIR/a.txt" "$HKS_OUTPUT_DIR/copy.txt"\necho "out=$HKS_OUTPUT_DIR" > "$HKS_OUTPUT_DIR/where.txt"\necho done\n';
    const r = runHks({
      HKS_FUNCTION: "custom",
      HKS_SOURCE_DIR: src,
      HKS_DEST_DIR: dest,
      HKS_CUSTOM_SCRIPT: script,
      HKS_NOW: "2026-11-26T02:00:00Z",
      HKS_VERIFY: "true",
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({ function: "custom", snapshot: "20261126T020000Z", files: 2, verified: true });
    expect(readdirSync(dest)).toEqual(["20261126T020000Z"]);
    expect(readFileSync(path.join(dest, "20261126T020000Z/copy.txt"), "utf8")).toBe("A\n");
    // the script saw the .partial folder, which was renamed on success
    expect(readFileSync(path.join(dest, "20261126T020000Z/where.txt"), "utf8")).toBe(`out=${dest}/20261126T020000Z.partial\n`);
  });

  it("a failing script is FAILED/ERROR with its stderr tail, and leaves nothing", () => {
    const dest = path.join(root, "dest-fail");
    const script =
      'echo "partial data" > "$HKS_OUTPUT_DIR/x"\necho "line one" >&2\necho "pg_basebackup: error: connection refused" >&2\nexit 7\n';
    const r = runHks({
      HKS_FUNCTION: "custom",
      HKS_SOURCE_DIR: src,
      HKS_DEST_DIR: dest,
      HKS_CUSTOM_SCRIPT: script,
      HKS_NOW: "2026-11-26T02:00:00Z",
    });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.json).toMatchObject({ outcome: "FAILED", reason: "ERROR", snapshot: null });
    expect(r.result.message).toContain("exit 7");
    expect(r.result.message).toContain("pg_basebackup: error: connection refused");
    expect(readdirSync(dest)).toEqual([]);
  });

  it("treats parameters with ; and $(...) as literal paths and never evaluates them", () => {
    const canary = path.join(root, "canary");
    const dest = path.join(root, `dest;touch ${canary};$(touch ${canary})\`touch ${canary}\``);
    const srcOdd = path.join(root, `src $(touch ${canary})`);
    writeTree(srcOdd, { "f.txt": "f\n" });
    const script = `# a script that mentions $(rm -rf /) in a comment is only run as itself\nls -- "$HKS_SOURCE_DIR" > "$HKS_OUTPUT_DIR/listing"\n`;
    const r = runHks({
      HKS_FUNCTION: "custom",
      HKS_SOURCE_DIR: srcOdd,
      HKS_DEST_DIR: dest,
      HKS_CUSTOM_SCRIPT: script,
      HKS_NOW: "2026-11-26T02:00:00Z",
      HKS_DB_NAME: `x'; DROP TABLE t; --`,
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(existsSync(canary)).toBe(false);
    expect(readFileSync(path.join(dest, "20261126T020000Z/listing"), "utf8")).toBe("f.txt\n");
    expect(r.result.message).toContain(dest);

    const t = runHks({
      HKS_FUNCTION: "tar",
      HKS_SOURCE_DIR: srcOdd,
      HKS_DEST_DIR: dest,
      HKS_NOW: "2026-11-26T02:00:00Z",
      HKS_VERIFY: "true",
    });
    expect(t.code, t.stderr).toBe(EXIT.SUCCEEDED);
    expect(existsSync(path.join(dest, "20261126T020000Z.tar.zst"))).toBe(true);
    expect(existsSync(canary)).toBe(false);
  });

  it("keeps the result within 4096 bytes when the script writes a huge stderr", () => {
    const dest = path.join(root, "dest-huge");
    const script =
      'for i in $(seq 1 300); do printf "error %04d: \\"quoted\\" \\\\ back\\tslash ünïcödé %s\\n" "$i" "$(head -c 60 /dev/zero | tr "\\0" x)" >&2; done\nexit 1\n';
    const r = runHks({ HKS_FUNCTION: "custom", HKS_DEST_DIR: dest, HKS_CUSTOM_SCRIPT: script });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.result.message).toContain("error 0300");
    expect(Buffer.byteLength(r.raw)).toBeLessThanOrEqual(4096);
  });

  it("an empty script is an error", () => {
    const r = runHks({ HKS_FUNCTION: "custom", HKS_DEST_DIR: path.join(root, "dest-empty"), HKS_CUSTOM_SCRIPT: "" });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.result.message).toMatch(/HKS_CUSTOM_SCRIPT/);
  });
});
