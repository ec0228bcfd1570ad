import { describe, expect, it } from "vitest";
import { suggestExpansion } from "./headroom.js";

const GiB = 1024 ** 3;
const base = { planName: "Dedicated", planRemainingGiB: 1000, storageFreeGiB: 4000 };

describe("suggestExpansion", () => {
  // Steps of 10 GiB under 100 (was 5): sizes a person would choose.
  it("proposes room for the data to fill at most 70%, rounded as a person would", () => {
    expect(suggestExpansion({ ...base, sizeGiB: 500, usedBytes: 435 * GiB })).toEqual({ sizeGiB: 650 });
    expect(suggestExpansion({ ...base, sizeGiB: 10, usedBytes: 9 * GiB })).toEqual({ sizeGiB: 20 });
    expect(suggestExpansion({ ...base, sizeGiB: 1000, usedBytes: 900 * GiB })).toEqual({ sizeGiB: 1300 });
  });

  it("makes room for what the backups' projection needs over the coming months, not just today's data", () => {
    expect(suggestExpansion({ ...base, sizeGiB: 10, usedBytes: 9 * GiB, neededBytes: 40 * GiB })).toEqual({ sizeGiB: 60 });
    expect(suggestExpansion({ ...base, sizeGiB: 100, usedBytes: 90 * GiB, neededBytes: 300 * GiB })).toEqual({ sizeGiB: 450 });
  });

  it("stays within the plan ceiling and the Proxmox free space, saying which limits it", () => {
    expect(suggestExpansion({ ...base, sizeGiB: 500, usedBytes: 480 * GiB, planRemainingGiB: 100 })).toEqual({
      sizeGiB: 600,
      limitedBy: "the Dedicated plan's limit",
    });
    expect(suggestExpansion({ ...base, sizeGiB: 500, usedBytes: 480 * GiB, storageFreeGiB: 20 })).toEqual({
      sizeGiB: 520,
      limitedBy: "the Proxmox storage's free space",
    });
  });

  it("counts the namespace quota of the claim that mounts the volume", () => {
    expect(suggestExpansion({ ...base, sizeGiB: 500, usedBytes: 480 * GiB, quotaRemainingGiB: { gib: 30, namespace: "shop" } })).toEqual({
      sizeGiB: 530,
      limitedBy: "the quota of namespace 'shop'",
    });
    expect(
      suggestExpansion({ ...base, sizeGiB: 500, usedBytes: 480 * GiB, quotaRemainingGiB: { gib: 0, namespace: "shop" } }),
    ).toMatchObject({ blocked: expect.stringContaining("namespace 'shop'") });
  });

  it("proposes nothing that cannot succeed, and says what blocks it", () => {
    expect(suggestExpansion({ ...base, sizeGiB: 500, usedBytes: 480 * GiB, planRemainingGiB: 0 })).toMatchObject({
      blocked: expect.stringContaining("plan"),
    });
    expect(suggestExpansion({ ...base, sizeGiB: 500, usedBytes: 480 * GiB, storageFreeGiB: 0 })).toMatchObject({
      blocked: expect.stringContaining("Proxmox"),
    });
  });
});
