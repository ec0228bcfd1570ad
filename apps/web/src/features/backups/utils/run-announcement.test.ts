import { describe, expect, it } from "vitest";
import { runStatusAnnouncement } from "./run-announcement";

describe("runStatusAnnouncement", () => {
  it("says a new status politely, naming the kind of run", () => {
    expect(runStatusAnnouncement({ kind: "RESTORE", status: "SUCCEEDED" }, "RUNNING")).toEqual({
      text: "Restore run: Succeeded.",
      assertive: false,
    });
  });
  it("says a failure assertively, with its reason", () => {
    expect(runStatusAnnouncement({ kind: "BACKUP", status: "FAILED", failureReason: "TIMEOUT" }, "RUNNING")).toEqual({
      text: "Backup run: Failed — timed out.",
      assertive: true,
    });
  });
  it("stays silent when the status did not move", () => {
    expect(runStatusAnnouncement({ kind: "VERIFY", status: "RUNNING" }, "RUNNING")).toBeNull();
  });
});
