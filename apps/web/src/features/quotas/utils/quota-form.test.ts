import { describe, expect, it } from "vitest";
import { limitsBelowUse, parseOptionalNumber, validateQuotaDraft } from "./quota-form";

describe("parseOptionalNumber", () => {
  it("treats empty as no limit", () => {
    expect(parseOptionalNumber("", { integer: true, label: "Max PVCs" })).toEqual({ ok: true, value: null });
  });
  it("refuses fractions for integer fields and negatives", () => {
    expect(parseOptionalNumber("1.5", { integer: true, label: "Max PVCs" }).ok).toBe(false);
    expect(parseOptionalNumber("-1", { integer: false, label: "Storage limit" }).ok).toBe(false);
    expect(parseOptionalNumber("2.5", { integer: false, label: "Storage limit" })).toEqual({ ok: true, value: 2.5 });
  });
});

describe("validateQuotaDraft", () => {
  it("returns input values for a valid draft", () => {
    const r = validateQuotaDraft({
      requestsStorageGiB: "100",
      maxPersistentVolumeClaims: "10",
      storageClassLimits: [{ key: "a", storageClassName: "hks-data", requestsStorageGiB: "50", maxPersistentVolumeClaims: "" }],
    });
    expect(r.errors).toEqual({});
    expect(r.values).toEqual({
      requestsStorageGiB: 100,
      maxPersistentVolumeClaims: 10,
      storageClassLimits: [{ storageClassName: "hks-data", requestsStorageGiB: 50, maxPersistentVolumeClaims: null }],
    });
  });

  it("flags duplicate StorageClasses and class limits above the namespace limit", () => {
    const r = validateQuotaDraft({
      requestsStorageGiB: "10",
      maxPersistentVolumeClaims: "",
      storageClassLimits: [
        { key: "a", storageClassName: "sc", requestsStorageGiB: "20", maxPersistentVolumeClaims: "" },
        { key: "b", storageClassName: "sc", requestsStorageGiB: "1", maxPersistentVolumeClaims: "" },
      ],
    });
    expect(r.values).toBeNull();
    expect(r.errors["storageClassLimits.1.storageClassName"]).toMatch(/twice/);
    expect(r.errors["storageClassLimits.0.requestsStorageGiB"]).toMatch(/namespace storage limit/);
  });
});

describe("limitsBelowUse", () => {
  const gib = (n: number) => `${n} GiB`;
  it("names each limit set below what the namespace already uses", () => {
    expect(
      limitsBelowUse({ requestsStorageGiB: 10, maxPersistentVolumeClaims: 2 }, { usedStorageGiB: 13, usedPersistentVolumeClaims: 3 }, gib),
    ).toEqual(["The storage limit 10 GiB is below the 13 GiB already requested.", "The limit of 2 PVCs is below the 3 that exist."]);
  });
  it("says nothing for limits at or above use, or no limit", () => {
    expect(
      limitsBelowUse(
        { requestsStorageGiB: 13, maxPersistentVolumeClaims: null },
        { usedStorageGiB: 13, usedPersistentVolumeClaims: 3 },
        gib,
      ),
    ).toEqual([]);
  });
});
