import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { assignWorkspaces } from "./shard-assignment.js";

const workspaces = Array.from({ length: 1000 }, () => randomUUID());
const shares = (assignment: Map<string, string>) => {
  const counts = new Map<string, number>();
  for (const owner of assignment.values()) counts.set(owner, (counts.get(owner) ?? 0) + 1);
  return counts;
};
const moved = (a: Map<string, string>, b: Map<string, string>) => [...a].filter(([w, owner]) => b.get(w) !== owner).length;

describe("dividing workspaces among replicas", () => {
  it("gives every workspace exactly one live replica, the same answer whichever replica computes it", () => {
    const a = assignWorkspaces(workspaces, ["r1", "r2", "r3"]);
    const b = assignWorkspaces([...workspaces].reverse(), ["r3", "r1", "r2"]);
    expect(a.size).toBe(1000);
    expect([...a.values()].every((r) => ["r1", "r2", "r3"].includes(r))).toBe(true);
    expect([...a]).toEqual([...a].map(([w]) => [w, b.get(w)]));
  });

  it("keeps every share within 1.5x the mean, even for a few workspaces", () => {
    for (const count of [30, 33, 1000]) {
      for (const replicas of [["a", "b", "c"], ["a", "b", "c", "d", "e"], ["a"]]) {
        const counts = shares(assignWorkspaces(workspaces.slice(0, count), replicas));
        const mean = count / replicas.length;
        expect(Math.max(...counts.values())).toBeLessThanOrEqual(1.5 * mean);
      }
    }
  });

  it("moves about 1/N of the workspaces when a replica joins or leaves", () => {
    const three = assignWorkspaces(workspaces, ["r1", "r2", "r3"]);
    const four = assignWorkspaces(workspaces, ["r1", "r2", "r3", "r4"]);
    // Joining: the newcomer's quarter moves to it, and little else moves.
    expect(moved(three, four)).toBeLessThan(1000 * 0.35);
    expect(shares(four).get("r4")).toBeGreaterThan(200);
    // Leaving: the departed replica's third moves, the others' workspaces mostly stay where they were.
    const two = assignWorkspaces(workspaces, ["r1", "r2"]);
    const ofR3 = [...three].filter(([, r]) => r === "r3").length;
    expect(moved(three, two)).toBeLessThan(ofR3 + 1000 * 0.1);
  });

  it("assigns nothing without a live replica", () => {
    expect(assignWorkspaces(workspaces, []).size).toBe(0);
  });
});
