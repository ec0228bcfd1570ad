import { describe, expect, it } from "vitest";
import { capacityAlertAnnouncement, volumeStatusAnnouncement } from "./volume-announcement";

describe("volumeStatusAnnouncement", () => {
  it("says the new status of a volume politely", () => {
    expect(volumeStatusAnnouncement("data", "AVAILABLE", "PROVISIONING")).toEqual({ text: "Volume data is available.", assertive: false });
  });
  it("says a failure assertively", () => {
    expect(volumeStatusAnnouncement("data", "FAILED", "EXPANDING")?.assertive).toBe(true);
  });
  it("stays silent when the status did not move", () => {
    expect(volumeStatusAnnouncement("data", "AVAILABLE", "AVAILABLE")).toBeNull();
  });
});

describe("capacityAlertAnnouncement", () => {
  it("names the volume of a new alert, assertively when critical", () => {
    expect(capacityAlertAnnouncement("fill", { state: "OPEN", level: "WARNING" })).toEqual({
      text: "Capacity alert: Volume fill is filling up.",
      assertive: false,
    });
    expect(capacityAlertAnnouncement("fill", { state: "OPEN", level: "CRITICAL" }).assertive).toBe(true);
  });
  it("says when an alert clears", () => {
    expect(capacityAlertAnnouncement("fill", { state: "RESOLVED", level: "WARNING" }).text).toBe(
      "Volume fill has room again; its capacity alert is cleared.",
    );
  });
});
