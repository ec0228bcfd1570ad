import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_DIR, ENTRYPOINT, EXIT, IMAGE_BIN_DIR, parseResult, snapshotSuffix } from "./index.js";

const ok = JSON.stringify({
  mode: "backup",
  function: "tar",
  outcome: "SUCCEEDED",
  reason: null,
  snapshot: "20261126T020000Z.tar.zst",
  bytes: 10,
  files: 2,
  sourceBytes: 30,
  destFreeBytes: 100,
  destTotalBytes: 200,
  durationMs: 5,
  verified: true,
  pruned: ["20261101T020000Z.tar.zst"],
  message: "Snapshot written.",
});

describe("parseResult", () => {
  it("reads a result line", () => {
    expect(parseResult(ok + "\n", 0)).toEqual({
      mode: "backup",
      function: "tar",
      outcome: "SUCCEEDED",
      reason: null,
      snapshot: "20261126T020000Z.tar.zst",
      bytes: 10,
      files: 2,
      sourceBytes: 30,
      destFreeBytes: 100,
      destTotalBytes: 200,
      durationMs: 5,
      verified: true,
      pruned: ["20261101T020000Z.tar.zst"],
      message: "Snapshot written.",
      exitCode: 0,
      fromMessage: true,
    });
  });

  it.each([
    [0, "SUCCEEDED", null],
    [3, "PARTIALLY_SUCCEEDED", null],
    [28, "FAILED", "QUOTA_EXCEEDED"],
    [66, "FAILED", "SOURCE_MISSING"],
    [1, "FAILED", "ERROR"],
    [137, "FAILED", "ERROR"],
  ] as const)("falls back to the exit code %i without a message", (code, outcome, reason) => {
    for (const msg of [undefined, "", "garbage {not json", '{"mode":"backup","outc']) {
      const r = parseResult(msg, code);
      expect(r).toMatchObject({ outcome, reason, fromMessage: false, exitCode: code, snapshot: null, pruned: [] });
      expect(r.message.length).toBeGreaterThan(10);
    }
  });

  it("reports an unknown run without message or exit code as a failure", () => {
    expect(parseResult(undefined, undefined)).toMatchObject({ outcome: "FAILED", reason: "ERROR", exitCode: null });
  });

  it("lets the exit code win when it contradicts the message", () => {
    const r = parseResult(ok, 137);
    expect(r).toMatchObject({ outcome: "FAILED", reason: "ERROR", snapshot: "20261126T020000Z.tar.zst", fromMessage: true });
    const q = parseResult(JSON.stringify({ outcome: "FAILED", reason: "QUOTA_EXCEEDED", message: "full" }), EXIT.QUOTA_EXCEEDED);
    expect(q).toMatchObject({ outcome: "FAILED", reason: "QUOTA_EXCEEDED", message: "full", bytes: 0, verified: null, mode: null });
  });

  it("takes the last JSON line of a message with log noise", () => {
    expect(parseResult(`some log\n${ok}\n`, 0).fromMessage).toBe(true);
  });
});

describe("constants", () => {
  it("BIN_DIR points at the scripts", () => {
    expect(path.isAbsolute(BIN_DIR)).toBe(true);
    expect(existsSync(path.join(BIN_DIR, "hks-backup"))).toBe(true);
    expect(ENTRYPOINT).toBe(`${IMAGE_BIN_DIR}/hks-backup`);
    expect(EXIT).toEqual({ SUCCEEDED: 0, PARTIAL: 3, QUOTA_EXCEEDED: 28, SOURCE_MISSING: 66, ERROR: 1 });
    expect(snapshotSuffix("tar", "gzip")).toBe(".tar.gz");
    expect(snapshotSuffix("mysqldump")).toBe(".sql.zst");
    expect(snapshotSuffix("rsync")).toBe("");
  });
});
