import { describe, expect, it } from "vitest";
import { dataClaims, uncoveredClaimCount, uncoveredClaimsLabel } from "./claims";

describe("claims without backup", () => {
  const claims = [
    { name: "a", coveredByBackup: false, isStorageVolume: false },
    { name: "b", coveredByBackup: true, isStorageVolume: false },
    { name: "vol", coveredByBackup: false, isStorageVolume: true },
    { name: "c", coveredByBackup: false, isStorageVolume: false },
  ];
  it("counts uncovered data claims, ignoring Storage Volume claims", () => {
    expect(uncoveredClaimCount(claims)).toBe(2);
    expect(uncoveredClaimCount([])).toBe(0);
  });
  it("no longer counts a claim an admin dismissed", () => {
    const dismissed = { name: "restored", coveredByBackup: false, isStorageVolume: false, dismissed: true };
    expect(uncoveredClaimCount([...claims, dismissed])).toBe(2);
  });
  it("labels the count", () => {
    expect(uncoveredClaimsLabel(1)).toBe("1 claim without backup");
    expect(uncoveredClaimsLabel(2)).toBe("2 claims without backup");
  });
  it("keeps only data claims", () => {
    expect(dataClaims(claims).map((c) => c.name)).toEqual(["a", "b", "c"]);
  });
});
