import { describe, expect, it } from "vitest";
import { isPlaceholder, pagesFor, pagesToDrop, serverSort, windowRows } from "./volume-window";

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
    expect(pagesFor(0, 20, 10_000)).toEqual([0, 1]);
    expect(pagesFor(5_010, 5_030, 10_000)).toEqual([49, 50, 51]);
    expect(pagesFor(5_090, 5_110, 10_000)).toEqual([49, 50, 51, 52]);
    expect(pagesFor(9_990, 9_999, 10_000)).toEqual([98, 99]);
    expect(pagesFor(0, 10, 0)).toEqual([]);
    expect(pagesFor(0, 500, 150)).toEqual([0, 1]);
  });
});

describe("windowRows", () => {
  const page = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: `v${from + i}` }));

  it("puts loaded pages in their place and placeholders elsewhere, the same placeholder object each time", () => {
    const rows = windowRows(250, new Map([[1, page(100, 100)]]), 100);
    expect(rows).toHaveLength(250);
    expect(isPlaceholder(rows[99])).toBe(true);
    expect(rows[100]).toEqual({ id: "v100" });
    expect(rows[199]).toEqual({ id: "v199" });
    expect(isPlaceholder(rows[200])).toBe(true);
    expect(windowRows(250, new Map(), 100)[7]).toBe(rows[7]);
  });

  it("never writes a page past its slot or past the end, and shows a volume once when it moved between pages", () => {
    const rows = windowRows(
      120,
      new Map([
        [0, [...page(0, 99), { id: "v100" }, { id: "extra" }]],
        [1, page(100, 30)],
      ]),
      100,
    );
    expect(rows).toHaveLength(120);
    expect(rows.filter((r) => !isPlaceholder(r)).map((r) => r.id)).not.toContain("extra");
    expect(rows[99]).toEqual({ id: "v100" });
    expect(isPlaceholder(rows[100])).toBe(true);
    expect(rows[101]).toEqual({ id: "v101" });
  });
});

describe("pagesToDrop", () => {
  it("drops the pages furthest from the view beyond the ones kept", () => {
    expect(pagesToDrop([0, 1, 2, 50, 51, 52, 99], [51], 4).sort((a, b) => a - b)).toEqual([0, 1, 2]);
    expect(pagesToDrop([0, 1], [0], 4)).toEqual([]);
  });
});
