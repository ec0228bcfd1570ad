import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN_DIR, ENTRYPOINT, EXIT, IMAGE_BIN_DIR, parseResult, resticDetails, snapshotSuffix } from "./index.js";

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
      format: "plain",
      details: {},
      exitCode: 0,
      fromMessage: true,
    });
  });

  it("reads a restic backup result with its figures", () => {
    const line = JSON.stringify({
      ...JSON.parse(ok),
      function: "files",
      format: "restic",
      snapshot: "ab".repeat(32),
      filesNew: 3,
      filesChanged: 1,
      filesUnmodified: 96,
      bytesRead: 1000,
      dataAdded: 40,
      repoBytes: 5000,
      time: "2026-11-26T02:00:00Z",
      tags: ["hks-kind:backup", "hks-backup:b1", "hks-run:r9"],
      backupId: "b1",
      runId: "r9",
    });
    const r = parseResult(line, 0);
    expect(r).toMatchObject({ function: "files", format: "restic", snapshot: "ab".repeat(32) });
    expect(resticDetails(r)).toEqual({
      kind: "backup",
      filesNew: 3,
      filesChanged: 1,
      filesUnmodified: 96,
      bytesRead: 1000,
      dataAdded: 40,
      repoBytes: 5000,
      time: "2026-11-26T02:00:00Z",
      tags: ["hks-kind:backup", "hks-backup:b1", "hks-run:r9"],
      backupId: "b1",
      runId: "r9",
    });
    expect(resticDetails(parseResult(ok, 0))).toBeUndefined();
  });

  it("reads the restic modes' results and their reasons", () => {
    const base = { outcome: "SUCCEEDED", reason: null, format: "restic", message: "ok" };
    const ls = parseResult(
      JSON.stringify({
        ...base,
        mode: "ls",
        path: "/d",
        total: 9,
        offset: 2,
        limit: 3,
        count: 1,
        items: [{ path: "/d/a", type: "file", size: 4 }, "junk"],
      }),
      0,
    );
    expect(resticDetails(ls)).toEqual({
      kind: "ls",
      path: "/d",
      total: 9,
      offset: 2,
      limit: 3,
      count: 1,
      items: [{ path: "/d/a", type: "file", size: 4 }],
    });
    const stats = parseResult(
      JSON.stringify({ ...base, mode: "stats", storedBytes: 10, logicalBytes: 80, snapshotCount: 3, dedupRatio: 8 }),
      0,
    );
    expect(resticDetails(stats)).toEqual({ kind: "stats", storedBytes: 10, logicalBytes: 80, snapshotCount: 3, dedupRatio: 8 });
    const restore = parseResult(JSON.stringify({ ...base, mode: "restore", safetySnapshot: "1234abcd" }), 0);
    expect(resticDetails(restore)).toEqual({ kind: "restore", safetySnapshot: "1234abcd" });
    const corrupt = parseResult(JSON.stringify({ ...base, mode: "verify", outcome: "FAILED", reason: "CORRUPT" }), EXIT.CORRUPT);
    expect(corrupt).toMatchObject({ outcome: "FAILED", reason: "CORRUPT", verified: null });
    expect(parseResult(undefined, EXIT.KEY_INVALID)).toMatchObject({
      reason: "KEY_INVALID",
      message: expect.stringMatching(/key Secret/) as unknown,
    });
    // a reason the exit code contradicts: the exit code wins
    expect(parseResult(JSON.stringify({ ...base, outcome: "FAILED", reason: "CORRUPT" }), EXIT.KEY_INVALID).reason).toBe("KEY_INVALID");
  });

  it.each([
    [0, "SUCCEEDED", null],
    [3, "PARTIALLY_SUCCEEDED", null],
    [28, "FAILED", "QUOTA_EXCEEDED"],
    [66, "FAILED", "SOURCE_MISSING"],
    [65, "FAILED", "CORRUPT"],
    [77, "FAILED", "KEY_INVALID"],
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
    expect(EXIT).toEqual({ SUCCEEDED: 0, PARTIAL: 3, QUOTA_EXCEEDED: 28, SOURCE_MISSING: 66, CORRUPT: 65, KEY_INVALID: 77, ERROR: 1 });
    expect(snapshotSuffix("tar", "gzip")).toBe(".tar.gz");
    expect(snapshotSuffix("mysqldump")).toBe(".sql.zst");
    expect(snapshotSuffix("rsync")).toBe("");
  });
});
