import { describe, expect, it } from "vitest";
import { cursorFor, pagesFor, pagesToDrop, serverSort, windowSlice } from "./volume-window";

describe("serverSort", () => {
  it("asks the server for the first sorted column it knows, oldest first otherwise", () => {
    expect(serverSort([])).toEqual({ key: "CREATED", direction: "ASC" });
    expect(serverSort([{ id: "sizeGiB", desc: true }])).toEqual({ key: "SIZE", direction: "DESC" });
    expect(
      serverSort([
        { id: "monthlyCost", desc: false },
        { id: "usage", desc: false },
      ]),
    ).toEqual({ key: "USAGE", direction: "ASC" });
    expect(serverSort([{ id: "persistentVolumeName", desc: false }])).toEqual({ key: "NAME", direction: "ASC" });
    expect(serverSort([{ id: "location", desc: true }])).toEqual({ key: "NODE", direction: "DESC" });
  });
});

describe("pagesFor", () => {
  it("names the pages of the rows in view and one page either side, within the list", () => {
    expect(pagesFor(0, 20, 10_000, 100)).toEqual([0, 1]);
    expect(pagesFor(5_010, 5_030, 10_000, 100)).toEqual([49, 50, 51]);
    expect(pagesFor(5_090, 5_110, 10_000, 100)).toEqual([49, 50, 51, 52]);
    expect(pagesFor(9_990, 9_999, 10_000, 100)).toEqual([98, 99]);
    expect(pagesFor(0, 10, 0, 100)).toEqual([]);
    expect(pagesFor(0, 500, 150, 100)).toEqual([0, 1]);
  });
});

describe("windowSlice", () => {
  const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `v${from + i}` }));

  it("hands over the loaded pages' rows with their places in the list, and nothing for the places not loaded", () => {
    const { rows, positions } = windowSlice(250, new Map([[1, page(100, 100)]]), undefined, 100);
    expect(rows).toHaveLength(100);
    expect(positions[0]).toBe(100);
    expect(rows[0]).toEqual({ id: "v100" });
    expect(positions.at(-1)).toBe(199);
    expect(rows.at(-1)).toEqual({ id: "v199" });
  });

  it("holds only the pages asked for, in list order, however long the list", () => {
    const pages = new Map([
      [52, page(5200, 100)],
      [0, page(0, 100)],
      [51, page(5100, 100)],
      [3, page(300, 100)],
    ]);
    const { rows, positions } = windowSlice(10_000, pages, [0, 51, 52], 100);
    expect(rows).toHaveLength(300);
    expect(positions.slice(0, 2)).toEqual([0, 1]);
    expect(positions[100]).toBe(5100);
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
    expect(rows.some((r) => r.id === "v300")).toBe(false);
  });

  it("never writes a page past its slot or past the end, and shows a volume once when it moved between pages", () => {
    const { rows, positions } = windowSlice(
      120,
      new Map([
        [0, [...page(0, 99), { id: "v100" }, { id: "extra" }]],
        [1, page(100, 30)],
      ]),
      undefined,
      100,
    );
    const at = (p: number) => rows[positions.indexOf(p)];
    expect(rows.map((r) => r.id)).not.toContain("extra");
    expect(at(99)).toEqual({ id: "v100" });
    expect(positions).not.toContain(100);
    expect(at(101)).toEqual({ id: "v101" });
    expect(Math.max(...positions)).toBe(119);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });
});

describe("cursorFor", () => {
  it("starts a page from the server's list of cursors, else from the end of the page before it, else knows none", () => {
    const ends = new Map<number, string | null>([[4, "end-4"]]);
    expect(cursorFor(0, [], ends)).toBeNull();
    expect(cursorFor(5, [], ends)).toBe("end-4");
    expect(cursorFor(7, [], ends)).toBeUndefined();
    expect(cursorFor(7, ["c1", "c2", "c3", "c4", "c5", "c6", "c7"], ends)).toBe("c7");
  });
});

describe("pagesToDrop", () => {
  it("drops the pages furthest from the view beyond the ones kept", () => {
    expect(pagesToDrop([0, 1, 2, 50, 51, 52, 99], [51], 4).sort((a, b) => a - b)).toEqual([0, 1, 2]);
    expect(pagesToDrop([0, 1], [0], 4)).toEqual([]);
  });
});
