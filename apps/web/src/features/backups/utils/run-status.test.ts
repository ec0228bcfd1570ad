import { describe, expect, it } from "vitest";
import {
  runOutcomeLabel,
  runStatusTone,
  snapshotUnavailableReason,
  verifyUnavailableReason,
  VERIFY_STATE_LABEL,
  verifyStateTone,
} from "./run-status";

describe("run status → label and tone", () => {
  it("labels every status", () => {
    expect(runOutcomeLabel("SCHEDULED")).toBe("Scheduled");
    expect(runOutcomeLabel("RUNNING")).toBe("Running");
    expect(runOutcomeLabel("SUCCEEDED")).toBe("Succeeded");
    expect(runOutcomeLabel("PARTIALLY_SUCCEEDED")).toBe("Partially succeeded");
    expect(runOutcomeLabel("MISSED")).toBe("Missed");
  });
  it("explains failures in words", () => {
    expect(runOutcomeLabel("FAILED", "QUOTA_EXCEEDED")).toBe("Failed — destination full");
    expect(runOutcomeLabel("FAILED", "TIMEOUT")).toBe("Failed — timed out");
    expect(runOutcomeLabel("FAILED", null)).toBe("Failed");
  });
  it("shows only success in green and missed runs in amber", () => {
    expect(runStatusTone("SUCCEEDED")).toBe("ok");
    expect(runStatusTone("MISSED")).toBe("warn");
    expect(runStatusTone("PARTIALLY_SUCCEEDED")).toBe("warn");
    expect(runStatusTone("FAILED")).toBe("danger");
    expect(runStatusTone("RUNNING")).toBe("busy");
    expect(runStatusTone("SCHEDULED")).toBe("neutral");
  });
  it("labels verify states", () => {
    expect(VERIFY_STATE_LABEL.FAILED).toBe("Verification failed");
    expect(verifyStateTone("VERIFIED")).toBe("ok");
  });
});

describe("snapshot actions", () => {
  const ok = { kind: "BACKUP", status: "SUCCEEDED", snapshot: "s1", prunedAt: null, verifyState: "NOT_VERIFIED" } as const;
  it("allows successful backup runs with a live snapshot", () => {
    expect(snapshotUnavailableReason(ok)).toBeNull();
    expect(verifyUnavailableReason(ok)).toBeNull();
    expect(snapshotUnavailableReason({ ...ok, status: "PARTIALLY_SUCCEEDED" })).toBeNull();
  });
  it("refuses other runs, pruned snapshots and running verifications", () => {
    expect(snapshotUnavailableReason({ ...ok, kind: "RESTORE" })).toMatch(/Only backup runs/);
    expect(snapshotUnavailableReason({ ...ok, status: "FAILED" })).toMatch(/successful/);
    expect(snapshotUnavailableReason({ ...ok, status: "MISSED" })).toMatch(/successful/);
    expect(snapshotUnavailableReason({ ...ok, snapshot: null })).toMatch(/no snapshot/);
    expect(snapshotUnavailableReason({ ...ok, prunedAt: "2025-01-01T00:00:00Z" })).toMatch(/Retention/);
    expect(verifyUnavailableReason({ ...ok, verifyState: "VERIFYING" })).toMatch(/in progress/);
  });
});
