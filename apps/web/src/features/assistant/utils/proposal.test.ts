import { describe, expect, it } from "vitest";
import { chosenSizeGiB, parseOtherSize, proposalOutcome, proposalTone } from "./proposal";

const base = { suggestedSizeGiB: 10, sizeGiB: null };

describe("proposalOutcome", () => {
  it("offers the actions (null) while the proposal waits", () => {
    expect(proposalOutcome({ ...base, state: "PENDING" })).toBeNull();
  });

  it("says what became of it otherwise", () => {
    expect(proposalOutcome({ ...base, state: "ACCEPTED" })).toBe("Expanding…");
    expect(proposalOutcome({ ...base, state: "SUCCEEDED" })).toBe("Expanded to 10 GiB");
    expect(proposalOutcome({ ...base, state: "SUCCEEDED", sizeGiB: 20 })).toBe("Expanded to 20 GiB");
    expect(proposalOutcome({ ...base, state: "DECLINED" })).toBe("Dismissed");
    expect(proposalOutcome({ ...base, state: "STALE" })).toBe("Superseded");
    expect(proposalOutcome({ ...base, state: "FAILED" })).toBe("Expansion failed");
  });

  it("takes the admin's size over the suggested one", () => {
    expect(chosenSizeGiB({ ...base, state: "ACCEPTED", sizeGiB: 30 })).toBe(30);
    expect(chosenSizeGiB({ ...base, state: "ACCEPTED" })).toBe(10);
  });

  it("has a tone per state", () => {
    expect(proposalTone("SUCCEEDED")).toBe("ok");
    expect(proposalTone("FAILED")).toBe("danger");
    expect(proposalTone("ACCEPTED")).toBe("busy");
    expect(proposalTone("STALE")).toBe("neutral");
  });
});

describe("parseOtherSize", () => {
  it("accepts a whole number of GiB larger than the volume", () => {
    expect(parseOtherSize(" 25 ", 4)).toEqual({ ok: true, sizeGiB: 25 });
  });

  it("refuses empty, fractional and too small sizes", () => {
    expect(parseOtherSize("", 4).ok).toBe(false);
    expect(parseOtherSize("7.5", 4)).toEqual({ ok: false, error: "Enter a whole number of GiB." });
    expect(parseOtherSize("4", 4)).toEqual({ ok: false, error: "Enter more than the current 4 GiB." });
  });
});
