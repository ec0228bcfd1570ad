import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT } from "./index.js";
import { runHks, tempDir, writeTree } from "./run.test-helpers.js";

const root = tempDir("hks-units-");
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeTree(path.join(root, "src"), { "data.txt": "x".repeat(3 * 1024 * 1024) });

const backup = (extra: Record<string, string>) =>
  runHks({
    HKS_FUNCTION: "tar",
    HKS_COMPRESSION: "gzip",
    HKS_SOURCE_DIR: path.join(root, "src"),
    HKS_DEST_DIR: path.join(root, "dest", String(Object.keys(extra).length)),
    HKS_NOW: "2026-11-26T02:00:00Z",
    ...extra,
  });

describe("sizes printed on the lab", () => {
  it("are in real units off the lab", () => {
    const r = backup({});
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.result.message).toContain("(3.0 MiB source)");
  });

  it("are in lab units when the lab gives its scale, while the result's figures stay real bytes", () => {
    const r = backup({ HKS_LAB_BYTES_PER_GIB: String(1024 * 1024) });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.result.message).toContain("(3.0 GiB source)");
    expect(r.stderr).toMatch(/space check: .* 3\.0 GiB/);
    expect(r.result.sourceBytes).toBeGreaterThanOrEqual(3 * 1024 * 1024);
    expect(r.result.sourceBytes).toBeLessThan(4 * 1024 * 1024);
  });
});
