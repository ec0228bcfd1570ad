import { describe, expect, it } from "vitest";
import { describeAgentEvent } from "./activity-words.js";

describe("describeAgentEvent", () => {
  it("says what happened and what came of it, without agent names or event kinds", () => {
    const text = describeAgentEvent({ kind: "NOTIFY_ADMIN", payload: {}, handledAt: new Date(), outcome: "posted" });
    expect(text).toBe("The assistant wrote to the admins; posted in this conversation.");
    expect(text).not.toMatch(/NOTIFY_ADMIN|Orchestration|Chat/);
  });

  it("gives a capacity alert's figures, and says when it is still waiting", () => {
    expect(
      describeAgentEvent({ kind: "CAPACITY_FLAGGED", payload: { percent: 91.5, threshold: 85 }, handledAt: null, outcome: null }),
    ).toBe("A backup volume reached 91.5% full (alert at 85%); being looked at.");
  });
});
