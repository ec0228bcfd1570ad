import { EXIT, parseResult } from "@hks/backup-functions";
import { describe, expect, it } from "vitest";
import { runFailure } from "./run-failures.js";

const failed = (reason: string, exit: number, message = "restic said so") =>
  parseResult(JSON.stringify({ mode: "backup", format: "restic", outcome: "FAILED", reason, message }), exit);

describe("a failed run's reason and sentence", () => {
  it("says a missing or wrong key is that, what HKS does about it and what the admin can do", () => {
    const f = runFailure(failed("KEY_INVALID", EXIT.KEY_INVALID), "");
    expect(f.failureReason).toBe("KEY_INVALID");
    expect(f.message).toMatch(/repository key is missing or wrong/);
    expect(f.message).toMatch(/re-applies .*hks-repository-key/);
    expect(f.message).toContain("restic said so");
  });

  it("calls a damaged repository CORRUPT, and says to keep it and start a new folder", () => {
    const f = runFailure(failed("CORRUPT", EXIT.CORRUPT), "");
    expect(f.failureReason).toBe("CORRUPT");
    expect(f.message).toMatch(/damaged.*new repository folder/);
  });

  it("keeps the function's sentence for the other reasons, and falls back when there is none", () => {
    expect(runFailure(failed("QUOTA_EXCEEDED", EXIT.QUOTA_EXCEEDED, "add 2 GiB"), "x")).toEqual({
      failureReason: "QUOTA_EXCEEDED",
      message: "add 2 GiB",
    });
    expect(runFailure(parseResult(undefined, 1), "The Job failed.").failureReason).toBe("ERROR");
  });
});
