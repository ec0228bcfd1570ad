import { describe, expect, it } from "vitest";
import { createAnnouncer } from "./announcer";

function manualClock() {
  const due: Array<() => void> = [];
  return { schedule: (fn: () => void) => due.push(fn), tick: () => due.splice(0).forEach((fn) => fn()) };
}

describe("the announcer", () => {
  it("says nothing until the collecting moment ends, then the message", () => {
    const clock = manualClock();
    const a = createAnnouncer(clock.schedule);
    a.announce("Volume data is available.");
    expect(a.text().polite).toBe("");
    clock.tick();
    expect(a.text()).toEqual({ polite: "Volume data is available.", assertive: "" });
  });

  it("sums a burst of one kind up instead of reading each", () => {
    const clock = manualClock();
    const a = createAnnouncer(clock.schedule);
    const summary = (n: number) => `${n} volumes changed status.`;
    for (const name of ["a", "b", "c"]) a.announce(`Volume ${name} is available.`, { group: "volume-status", summary });
    a.announce("Backup run: Failed.", { politeness: "assertive" });
    clock.tick();
    expect(a.text()).toEqual({ polite: "3 volumes changed status.", assertive: "Backup run: Failed." });
  });

  it("says only the latest news about one thing", () => {
    const clock = manualClock();
    const a = createAnnouncer(clock.schedule);
    const summary = (n: number) => `${n} runs changed status.`;
    a.announce("Backup run: Running.", { group: "run-status", summary, key: "run-1" });
    a.announce("Backup run: Succeeded.", { group: "run-status", summary, key: "run-1" });
    clock.tick();
    expect(a.text().polite).toBe("Backup run: Succeeded.");
  });

  it("says the same words again as a change of the region", () => {
    const clock = manualClock();
    const a = createAnnouncer(clock.schedule);
    a.announce("Saved.");
    clock.tick();
    a.announce("Saved.");
    clock.tick();
    expect(a.text().polite).not.toBe("Saved.");
    expect(a.text().polite.trim()).toBe("Saved.");
  });

  it("counts what is beyond three separate messages", () => {
    const clock = manualClock();
    const a = createAnnouncer(clock.schedule);
    for (const m of ["One.", "Two.", "Three.", "Four."]) a.announce(m);
    clock.tick();
    expect(a.text().polite).toBe("One. Two. And 2 more updates.");
  });
});
