import { describe, expect, it } from "vitest";
import { parseSortParam, serializeSortParam, withParam } from "./url-state";

describe("sort param", () => {
  it("round-trips", () => {
    const s = [
      { id: "name", desc: false },
      { id: "sizeGiB", desc: true },
    ];
    expect(serializeSortParam(s)).toBe("name,-sizeGiB");
    expect(parseSortParam("name,-sizeGiB")).toEqual(s);
  });
  it("drops unknown, empty and duplicate ids", () => {
    expect(parseSortParam("bogus,-name,,name", ["name"])).toEqual([{ id: "name", desc: true }]);
    expect(parseSortParam(null)).toEqual([]);
  });
});

describe("withParam", () => {
  it("sets and removes keys, keeping others", () => {
    const p = new URLSearchParams("a=1&q=x");
    expect(withParam(p, "q", "").toString()).toBe("a=1");
    expect(withParam(p, "q", "y z").get("q")).toBe("y z");
    expect(p.get("q")).toBe("x");
  });
});
