import { describe, expect, it } from "vitest";
import { suggestExpansion } from "./headroom.js";

const GiB = 1024 ** 3;
const base = { planName: "Dedicated", planRemainingGiB: 1000, storageFreeGiB: 4000 };

describe("suggestExpansion", () => {
  it("proposes room for the data to fill at most 70%, in tidy steps", () => {
    expect(suggestExpansion({ ...base, sizeGiB: 500, usedBytes: 435 * GiB })).toEqual({ sizeGiB: 650 });
    expect(suggestExpansion({ ...base, sizeGiB: 10, usedBytes: 9 * GiB })).toEqual({ sizeGiB: 15 });
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
