import { describe, expect, it } from "vitest";
import { layoutRows } from "./virtual-layout";

const item = (index: number, size = 40, header = 30) => ({ index, start: header + index * size, end: header + (index + 1) * size });

describe("layoutRows", () => {
  it("puts a spacer above and below the rows in view, keeping the full height", () => {
    const slots = layoutRows([item(10), item(11), item(12)], 30, 30 + 100 * 40);
    expect(slots).toEqual([
      { kind: "spacer", key: "spacer-top", height: 400 },
      { kind: "row", index: 10 },
      { kind: "row", index: 11 },
      { kind: "row", index: 12 },
      { kind: "spacer", key: "spacer-bottom", height: (100 - 13) * 40 },
    ]);
  });

  it("needs no spacer at the top or the bottom of the list", () => {
    expect(layoutRows([item(0), item(1)], 30, 30 + 2 * 40)).toEqual([
      { kind: "row", index: 0 },
      { kind: "row", index: 1 },
    ]);
  });

  it("keeps a far-away focused row at its place with spacers on both sides", () => {
    const slots = layoutRows([item(500), item(0), item(1)], 30, 30 + 1000 * 40);
    expect(slots.map((s) => (s.kind === "row" ? s.index : `${s.key}:${s.height}`))).toEqual([
      0,
      1,
      `spacer-before-500:${498 * 40}`,
      500,
      `spacer-bottom:${499 * 40}`,
    ]);
  });
});
