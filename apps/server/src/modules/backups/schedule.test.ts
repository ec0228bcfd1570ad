import { describe, expect, it } from "vitest";
import { checkSchedule, describeSchedule, nextRuns, shortestIntervalMinutes } from "./schedule.js";

describe("schedules", () => {
  it("accepts 5-field cron and the Kubernetes macros", () => {
    expect(checkSchedule("0 2 * * *", "Europe/Berlin")).toEqual({ ok: true, expression: "0 2 * * *" });
    expect(checkSchedule("@daily", "UTC")).toEqual({ ok: true, expression: "0 0 * * *" });
    expect(checkSchedule("  */15   * * * * ", "UTC")).toMatchObject({ ok: true, expression: "*/15 * * * *" });
  });

  it("refuses what Kubernetes refuses, naming the field", () => {
    expect(checkSchedule("0 2 * * * *", "UTC")).toMatchObject({ ok: false, field: "schedule" });
    expect(checkSchedule("61 * * * *", "UTC")).toMatchObject({ ok: false, field: "schedule" });
    expect(checkSchedule("CRON_TZ=UTC 0 2 * * *", "UTC")).toMatchObject({ ok: false, field: "schedule" });
    expect(checkSchedule("@secondly", "UTC")).toMatchObject({ ok: false, field: "schedule" });
    expect(checkSchedule("0 2 * * *", "Mars/Olympus")).toMatchObject({ ok: false, field: "timeZone" });
    expect(checkSchedule("0 2 * * *", "")).toMatchObject({ ok: false, field: "timeZone" });
  });

  it("computes the next runs in the schedule's zone, across a DST change", () => {
    const runs = nextRuns("0 2 * * *", "Europe/Berlin", 3, new Date("2026-10-24T12:00:00Z"));
    // 02:00 in Berlin is 00:00Z in summer time (its first occurrence on the night clocks go back) and 01:00Z after.
    expect(runs.map((d) => d.toISOString())).toEqual(["2026-10-25T00:00:00.000Z", "2026-10-26T01:00:00.000Z", "2026-10-27T01:00:00.000Z"]);
  });

  it("measures the shortest interval and describes a schedule in words", () => {
    expect(shortestIntervalMinutes("*/5 * * * *", "UTC")).toBe(5);
    expect(shortestIntervalMinutes("0 2 * * *", "UTC")).toBe(24 * 60);
    expect(describeSchedule("0 2 * * *", "Europe/Berlin")).toBe("At 02:00 (Europe/Berlin)");
  });
});
