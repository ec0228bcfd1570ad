import { describe, expect, it } from "vitest";
import { breadcrumbs, intoFolderProblem, pageLabel, relativeTo } from "./paths";

describe("snapshot browser paths", () => {
  it("makes breadcrumbs from the root down", () => {
    expect(breadcrumbs("/")).toEqual([{ name: "Snapshot root", path: "/" }]);
    expect(breadcrumbs("/exports/2026")).toEqual([
      { name: "Snapshot root", path: "/" },
      { name: "exports", path: "/exports" },
      { name: "2026", path: "/exports/2026" },
    ]);
  });

  it("shows search results relative to the folder searched", () => {
    expect(relativeTo("/exports", "/exports/2026/a.csv")).toBe("2026/a.csv");
    expect(relativeTo("/", "/a.csv")).toBe("a.csv");
  });

  it("labels pages and checks restore folders", () => {
    expect(pageLabel(50, 12, 62)).toBe("51–62 of 62");
    expect(pageLabel(0, 0, 0)).toBe("No entries");
    expect(intoFolderProblem("restored/today")).toBeNull();
    expect(intoFolderProblem("../x")).toMatch(/inside the claim/);
    expect(intoFolderProblem(" ")).toMatch(/Give the folder/);
  });
});
