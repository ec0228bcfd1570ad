import { describe, expect, it } from "vitest";
import { backtest, POLICIES } from "../../test/capacity-backtest.js";
import { DAY, GiB, HOUR, play, TRACES } from "../../test/capacity-traces.js";
import { forecastFull } from "./capacity-policy.js";
import { addSample, startTrend } from "./forecast.js";
import { project, runSizeModel, type ProjectedBackup } from "./projection.js";

const now = new Date("2026-12-04T12:00:00Z");
const nightsAgo = (n: number) => new Date(Date.UTC(2026, 11, 4 - n, 1, 0, 0));

function nightly(sizes: number[], keepLast = 7): ProjectedBackup {
  const runs = sizes.map((bytes, i) => ({ at: nightsAgo(sizes.length - i), bytes }));
  return {
    id: "b1",
    label: "the nightly backup of shop",
    schedule: "0 2 * * *",
    timeZone: "Europe/Berlin",
    retention: { keepLast },
    history: runs,
    kept: runs.slice(-keepLast),
  };
}

describe("run size model", () => {
  it("takes a flat source at its size and a growing one along its growth", () => {
    expect(runSizeModel(nightly([10, 10, 10]).history)!(now)).toBeCloseTo(10);
    const growing = runSizeModel(nightly([10, 11, 12, 13]).history)!;
    expect(growing(new Date(nightsAgo(0).getTime() + DAY))).toBeCloseTo(15, 5);
  });

  it("starts afresh after the source jumps, instead of averaging the old level in", () => {
    const model = runSizeModel(nightly([30, 30, 30, 30, 52, 52]).history)!;
    expect(model(now)).toBeCloseTo(52, 0);
  });

  it("is not thrown by one noisy run", () => {
    const model = runSizeModel(nightly([20, 20, 27, 20, 20]).history)!;
    expect(model(now)).toBeCloseTo(20, 0);
  });
});

describe("projection of a backup volume", () => {
  it("levels off where retention balances the runs: keep-last 7 of 40 GiB peaks at 8 snapshots", () => {
    const backup = nightly(Array<number>(7).fill(40 * GiB));
    const projection = project({ capacityBytes: 500 * GiB, usedBytes: 280 * GiB, now, backups: [backup] });
    expect(projection.firstFailure).toBeUndefined();
    expect(projection.peakBytes).toBe(320 * GiB);
    expect(projection.plateauBytes).toBe(320 * GiB);
    // Each night a run adds 40 GiB and retention frees the oldest 40 GiB: the steps say which.
    expect(projection.steps.slice(0, 2).map((s) => [s.kind, s.deltaBytes / GiB])).toEqual([
      ["RUN", 40],
      ["PRUNE", -40],
    ]);
  });

  it("names the first run that will not fit, with what it needs and what will be free", () => {
    const backup = nightly(Array<number>(7).fill(40 * GiB));
    const projection = project({ capacityBytes: 300 * GiB, usedBytes: 280 * GiB, now, backups: [backup] });
    expect(projection.firstFailure).toMatchObject({ backupId: "b1", neededBytes: 40 * GiB, freeBytes: 20 * GiB });
    expect(projection.firstFailure!.at.toISOString()).toBe("2026-12-05T01:00:00.000Z"); // 02:00 in Berlin
  });

  it("has no evidence until each Backup has run twice, and then no forecast is given", () => {
    const once = nightly([200 * GiB]);
    const projection = project({ capacityBytes: 300 * GiB, usedBytes: 200 * GiB, now, backups: [once] });
    expect(projection.evidence).toBe(false);
    expect(forecastFull({ capacityBytes: 300 * GiB, usedBytes: 200 * GiB, now, projection })).toBeNull();
  });
});

describe("trend forecast for a volume no Backup writes into", () => {
  const growing = (spanHours: number, from: number) => {
    let fit = startTrend(new Date(now.getTime() - spanHours * HOUR), from);
    for (let h = 0; h <= spanHours; h++)
      fit = addSample(fit, { at: new Date(now.getTime() - (spanHours - h) * HOUR), usedBytes: from + h * GiB });
    return { fit, spanMs: spanHours * HOUR };
  };

  it("needs 6 hours of history and less than 15% free, as KubePersistentVolumeFillingUp does", () => {
    const capacityBytes = 100 * GiB;
    expect(forecastFull({ capacityBytes, usedBytes: 90 * GiB, now, trend: growing(3, 87 * GiB) })).toBeNull();
    expect(forecastFull({ capacityBytes, usedBytes: 70 * GiB, now, trend: growing(6, 64 * GiB) })).toBeNull();
    const forecast = forecastFull({ capacityBytes, usedBytes: 90 * GiB, now, trend: growing(6, 84 * GiB) });
    expect(forecast?.source).toBe("TREND");
    expect(forecast!.fullAt.getTime() - now.getTime()).toBeCloseTo(10 * HOUR, -4);
  });
});

describe("backtest of the capacity policy on usage traces", () => {
  const policy = POLICIES.find((p) => p.name === "HKS projection")!;
  const before = POLICIES.find((p) => p.name === "least squares (before)")!;

  for (const trace of TRACES) {
    it(`${trace.name}: no false alarm, no missed fill, the failing run named 3 days ahead`, () => {
      const truth = play(trace);
      const result = backtest(trace, policy, truth, 3 * HOUR);
      expect(result.falseAlarms).toBe(0);
      expect(result.missedFill).toBe(false);
      if (truth.fill) expect(result.rightRunAt3Days).toBe(true);
    });
  }

  it("the least-squares policy it replaces cried wolf after the first backups", () => {
    const trace = TRACES.find((t) => t.name.startsWith("nightly, flat"))!;
    expect(backtest(trace, before, play(trace), HOUR).falseAlarms).toBeGreaterThan(0);
  });
});
