import { describe, expect, it } from "vitest";
import type { BackupRunRecord } from "./backup.repository.js";
import { repositoryFigures } from "./repository-figures.js";

const run = (finishedAt: string, details: Record<string, unknown> | null, format = "restic") =>
  ({
    finishedAt: new Date(finishedAt),
    createdAt: new Date(finishedAt),
    result: details ? { format, details } : null,
  }) as unknown as BackupRunRecord;

describe("the repository's figures", () => {
  it("set the newest run's stored size against the kept snapshots' logical size", () => {
    const figures = repositoryFigures({ format: "RESTIC" }, [
      run("2026-11-02T02:00:00Z", { bytesRead: 4_000, repoBytes: 1_000 }),
      run("2026-11-03T02:00:00Z", { bytesRead: 4_300, repoBytes: 1_050 }),
      run("2026-11-01T02:00:00Z", { bytesRead: 3_900, repoBytes: 990 }),
    ]);
    expect(figures).toEqual({
      storedBytes: 1_050,
      logicalBytes: 12_200,
      snapshotCount: 3,
      dedupRatio: 11.6,
      measuredAt: new Date("2026-11-03T02:00:00Z"),
    });
  });

  it("are null for plain files and before any restic run reported", () => {
    expect(repositoryFigures({ format: "PLAIN" }, [run("2026-11-02T02:00:00Z", { bytesRead: 1, repoBytes: 1 })])).toBeNull();
    expect(repositoryFigures({ format: "RESTIC" }, [])).toBeNull();
    expect(repositoryFigures({ format: "RESTIC" }, [run("2026-11-02T02:00:00Z", { bytes: 5 }, "plain")])).toBeNull();
  });
});
