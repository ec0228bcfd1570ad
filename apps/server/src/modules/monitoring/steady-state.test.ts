import { describe, expect, it } from "vitest";
import { assumedHistory, retentionWords, steadyState } from "./steady-state.js";

const GiB = 1024 ** 3;
const now = new Date("2026-12-04T12:00:00Z");
const nightsAgo = (n: number) => new Date(Date.UTC(2026, 11, 4 - n, 2, 0, 0));
const nightly = (sizes: number[], retention: Record<string, number>) => ({
  id: "b1",
  label: "the backup 'nightly' of shop",
  schedule: "0 2 * * *",
  timeZone: "UTC",
  retention,
  history: sizes.map((bytes, i) => ({ at: nightsAgo(sizes.length - i), bytes })),
});

describe("a backup's steady state", () => {
  it("PLAIN with keep-last 7 holds seven archives and the eighth before its prune", () => {
    const s = steadyState(nightly([GiB, GiB, GiB], { keepLast: 7 }), "PLAIN", now, 90)!;
    expect(s.bounded).toBe(true);
    expect(s.bytes / GiB).toBeCloseTo(8, 5);
    expect(s.days).toBeLessThanOrEqual(10);
  });

  it("RESTIC keeps its full first copy and adds what each later run adds", () => {
    // 10 GiB first, then 0.5 GiB a night: the first copy stays; seven additions and the one before its prune.
    const s = steadyState(nightly([10 * GiB, 0.5 * GiB, 0.5 * GiB], { keepLast: 7 }), "RESTIC", now, 90)!;
    expect(s.bytes / GiB).toBeCloseTo(10 + 8 * 0.5, 5);
  });

  it("without retention, counts the forecast days and says it is not bounded", () => {
    const s = steadyState(nightly([GiB, GiB], {}), "PLAIN", now, 30)!;
    expect(s.bounded).toBe(false);
    expect(s.bytes / GiB).toBeGreaterThanOrEqual(29);
    expect(s.bytes / GiB).toBeLessThanOrEqual(31);
  });

  it("for a new backup takes the source's size: a whole archive per run, or one full copy for restic", () => {
    const plain = steadyState({ ...nightly([], { keepLast: 3 }), history: assumedHistory(2 * GiB, "PLAIN", now) }, "PLAIN", now, 90)!;
    expect(plain.bytes / GiB).toBeCloseTo(8, 5);
    const restic = steadyState({ ...nightly([], { keepLast: 3 }), history: assumedHistory(2 * GiB, "RESTIC", now) }, "RESTIC", now, 90)!;
    expect(restic.bytes / GiB).toBeCloseTo(2, 5);
  });

  it("knows nothing without a run or a source size", () => {
    expect(steadyState(nightly([], { keepLast: 3 }), "PLAIN", now, 90)).toBeUndefined();
  });

  it("names the retention as the form does", () => {
    expect(retentionWords({ keepLast: 7 })).toBe("keep-last 7");
    expect(retentionWords({ keepDaily: 7, keepWeekly: 4 })).toBe("keep-daily 7, keep-weekly 4");
    expect(retentionWords({})).toBe("no retention");
  });
});
