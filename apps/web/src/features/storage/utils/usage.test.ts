import { describe, expect, it } from "vitest";
import { alertLevelLabel, forecastText, formatEstimatedFull, formatPercent, usageTone } from "./usage";

describe("alertLevelLabel", () => {
  it("names each level in words", () => {
    expect(alertLevelLabel("WARNING", 85)).toBe("Over 85%");
    expect(alertLevelLabel("WARNING", 80)).toBe("Over 80%");
    expect(alertLevelLabel("CRITICAL", 85)).toBe("Critical");
    expect(alertLevelLabel("FORECAST", 85)).toBe("Filling fast");
  });

  it("uses the default threshold when none is given", () => {
    expect(alertLevelLabel("WARNING")).toBe("Over 85%");
  });
});

describe("usageTone", () => {
  it("is amber from the alert threshold and red from 95%", () => {
    expect(usageTone(84.9)).toBe("ok");
    expect(usageTone(85)).toBe("warn");
    expect(usageTone(94.9)).toBe("warn");
    expect(usageTone(95)).toBe("danger");
    expect(usageTone(70, 70)).toBe("warn");
  });
});

describe("formatPercent", () => {
  it("keeps one decimal, none for whole numbers", () => {
    expect(formatPercent(93.75)).toBe("93.8%");
    expect(formatPercent(100)).toBe("100%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(Number.NaN)).toBe("—");
  });

  it("reads a share below one percent as <1%", () => {
    expect(formatPercent(0.4)).toBe("<1%");
    expect(formatPercent(0.05)).toBe("<1%");
    expect(formatPercent(1)).toBe("1%");
  });
});

describe("formatEstimatedFull / forecastText", () => {
  const now = Date.parse("2025-01-05T12:00:00Z");

  it("says when the volume fills up, relative to now", () => {
    expect(formatEstimatedFull("2025-01-05T15:00:00Z", now)).toBe("in 3 hours");
    expect(forecastText("2025-01-05T15:00:00Z", now)).toMatch(/^At its growth over the last 6 hours it will be full in 3 hours \(/);
  });

  it("says — and 'not filling up' without an estimate", () => {
    expect(formatEstimatedFull(null, now)).toBe("—");
    expect(forecastText(null, now)).toMatch(/^Not filling up/);
  });
});
