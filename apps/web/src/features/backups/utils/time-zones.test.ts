import { describe, expect, it } from "vitest";
import { allTimeZones, filterTimeZones } from "./time-zones";

describe("time zones", () => {
  it("lists IANA zones with UTC", () => {
    const zones = allTimeZones();
    expect(zones).toContain("UTC");
    expect(zones).toContain("Europe/Berlin");
  });
  it("filters by words, keeping the selected zone", () => {
    const zones = ["UTC", "America/New_York", "Europe/Berlin", "Europe/Paris"];
    expect(filterTimeZones(zones, "new york")).toEqual(["America/New_York"]);
    expect(filterTimeZones(zones, "europe")).toEqual(["Europe/Berlin", "Europe/Paris"]);
    expect(filterTimeZones(zones, "paris", "UTC")).toEqual(["UTC", "Europe/Paris"]);
    expect(filterTimeZones(zones, "")).toHaveLength(4);
  });
});
