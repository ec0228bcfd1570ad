import { describe, expect, it } from "vitest";
import { formatDestination, normalizeDestinationPath, validateDestinationPath } from "./destination-path";

describe("validateDestinationPath", () => {
  it("accepts relative folders with plain segments", () => {
    expect(validateDestinationPath("shop/db")).toBeNull();
    expect(validateDestinationPath("shop")).toBeNull();
    expect(validateDestinationPath("a.b/c_d/e-1/")).toBeNull();
  });
  it("refuses empty paths and leading slashes", () => {
    expect(validateDestinationPath("")).toMatch(/Give a folder/);
    expect(validateDestinationPath("   ")).toMatch(/Give a folder/);
    expect(validateDestinationPath("/shop/db")).toMatch(/relative/);
  });
  it("refuses '..' and '.' segments", () => {
    expect(validateDestinationPath("shop/../etc")).toMatch(/'\.\.'/);
    expect(validateDestinationPath("..")).toMatch(/inside the volume/);
    expect(validateDestinationPath("./shop")).toMatch(/inside the volume/);
  });
  it("refuses empty segments, odd characters and overlong paths", () => {
    expect(validateDestinationPath("shop//db")).toMatch(/empty segment/);
    expect(validateDestinationPath("shop/my db")).toMatch(/not a plain folder name/);
    expect(validateDestinationPath("shop/\tx")).toMatch(/control characters/);
    expect(validateDestinationPath("a".repeat(201))).toMatch(/at most 200/);
  });
});

describe("normalizeDestinationPath / formatDestination", () => {
  it("trims and drops trailing slashes", () => {
    expect(normalizeDestinationPath(" shop/db// ")).toBe("shop/db");
  });
  it("formats volume:/path", () => {
    expect(formatDestination("backup-vol-1", "v1", "shop/db")).toBe("backup-vol-1:/shop/db");
    expect(formatDestination(null, "v1", "shop")).toBe("v1:/shop");
  });
});
