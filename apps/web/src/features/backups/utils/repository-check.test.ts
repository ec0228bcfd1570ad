import { describe, expect, it } from "vitest";
import { repositorySentence } from "../components/RepositoryFigures";
import { checkInput, validateRepositoryCheck } from "./repository-check";

describe("the repository check fields", () => {
  it("accept restic's subsets and refuse the rest with a sentence", () => {
    for (const ok of ["10%", "2.5%", "100%", "1/7", "500M", "2G", "1024"]) expect(validateRepositoryCheck("0 4 * * 0", ok)).toEqual({});
    for (const bad of ["0%", "150%", "3/2", "0/4", "ten", "5 %", "0"])
      expect(validateRepositoryCheck("0 4 * * 0", bad)["check.readDataSubset"]).toMatch(/percentage above 0/);
    expect(validateRepositoryCheck("", "10%")["check.schedule"]).toMatch(/Give the check a schedule/);
  });

  it("send a schedule only for a restic backup; a blank one turns the check off", () => {
    expect(checkInput("RESTIC", " 0  4 * * 0 ", "10%")).toEqual({ schedule: "0 4 * * 0", readDataSubset: "10%" });
    expect(checkInput("RESTIC", "0 4 * * 0", "")).toEqual({ schedule: "0 4 * * 0", readDataSubset: null });
    expect(checkInput("RESTIC", "  ", "10%")).toEqual({ schedule: null, readDataSubset: null });
    expect(checkInput("PLAIN", "0 4 * * 0", "10%")).toEqual({ schedule: null, readDataSubset: null });
  });
});

describe("the repository figures", () => {
  it("say the logical size against the stored size and the ratio", () => {
    const GiB = 1024 ** 3;
    expect(repositorySentence({ logicalBytes: 12.1 * GiB, storedBytes: 1.4 * GiB, dedupRatio: 8.6, snapshotCount: 7 })).toBe(
      "12.1 GiB of snapshots stored in 1.4 GiB, 8.6x (7 snapshots kept)",
    );
    expect(repositorySentence({ logicalBytes: 2048, storedBytes: 0, dedupRatio: null, snapshotCount: 1 })).toBe(
      "2 KiB of snapshots stored in 0 B (1 snapshot kept)",
    );
  });
});
