import { describe, expect, it } from "vitest";
import { capacityWords, clearedWords, quotaFailureWords, retentionThatFrees } from "./notice-words.js";

const GiB = 1024 ** 3;
const failure = {
  at: "2026-12-08T01:00:00.000Z",
  backupId: "b1",
  label: "the backup 'nightly' of shop",
  timeZone: "Europe/Berlin",
  neededBytes: 1.4 * GiB,
  freeBytes: 1.1 * GiB,
};
const volume = { volumeKind: "backup storage volume", volumeName: "backup-vol-1", timeZone: "Europe/Berlin" };

describe("what the assistant says about a volume", () => {
  it("names the run that will not fit, when (in the Backup's zone) and what it needs against what is free", () => {
    const { lead, tail } = capacityWords({ ...volume, level: "FORECAST", percent: 62.4, estimatedFullAt: new Date(failure.at), failure });
    expect(lead).toBe(
      "The backup 'nightly' of shop on Tue 8 Dec, 02:00 CET will not fit in 'backup-vol-1' (needs 1.4 GiB, 1.1 GiB free). 'backup-vol-1' is at 62% capacity.",
    );
    expect(tail).toBe("");
  });

  it("keeps the spec's threshold sentence, with the Storage table's percentage rounded, and the forecast after it", () => {
    const { lead, tail } = capacityWords({ ...volume, level: "WARNING", percent: 87, estimatedFullAt: new Date(failure.at), failure });
    expect(lead).toBe("Your backup storage volume 'backup-vol-1' has reached 87% capacity. Future backups may fail.");
    expect(tail).toBe(
      " The backup 'nightly' of shop on Tue 8 Dec, 02:00 CET will not fit in 'backup-vol-1' (needs 1.4 GiB, 1.1 GiB free).",
    );
  });

  it("says a trend's date in words in the zone, and a barely used volume as <1%", () => {
    const { lead } = capacityWords({
      volumeKind: "storage volume",
      volumeName: "data",
      timeZone: "UTC",
      level: "FORECAST",
      percent: 0.4,
      estimatedFullAt: new Date("2026-12-10T15:20:00Z"),
      failure: null,
    });
    expect(lead).toBe(
      "Your storage volume 'data' is at <1% capacity and filling up. At its current growth it will be full around Thu 10 Dec, 15:20 UTC. Future backups may fail.",
    );
    expect(clearedWords("storage volume", "data", 0.2)).toBe(
      "Your storage volume 'data' is back to <1% capacity; the capacity alert is cleared.",
    );
  });
});

describe("a run that failed on a full destination", () => {
  const base = {
    backupName: "nightly",
    applicationName: "shop",
    when: new Date("2026-12-08T01:00:00Z"),
    timeZone: "Europe/Berlin",
    jobName: "hks-backup-nightly-1",
    volumeName: "backup-vol-1",
    destination: { usedBytes: 9.5 * GiB, totalBytes: 10 * GiB },
    neededBytes: 2 * GiB,
    freeBytes: 0.5 * GiB,
  };

  it("says what the run needed and what was free, and offers each remedy that would work", () => {
    expect(
      quotaFailureWords({
        ...base,
        keepLast: { keep: 5, now: 7, freesBytes: 2 * GiB },
        roomIn: { name: "backup-vol-2", freeBytes: 40 * GiB },
      }),
    ).toBe(
      "The backup 'nightly' of application 'shop' failed on Tue 8 Dec, 02:00 CET (run hks-backup-nightly-1): its destination volume is full ('backup-vol-1' is 95% full: 9.5 GiB of 10 GiB used). It needed 2 GiB; 512 MiB was free. To fix it, expand the volume by at least 1.5 GiB; lower its retention to keep the last 5 (it keeps 7), which frees 2 GiB; or move the backup to 'backup-vol-2', which has 40 GiB free.",
    );
  });

  it("offers only expansion when no retention frees enough and no volume has room", () => {
    expect(quotaFailureWords(base)).toMatch(/To fix it, expand the volume by at least 1\.5 GiB\.$/);
  });

  it("lowers retention only as far as it must to free the missing bytes", () => {
    // Newest first: keeping 2 frees the three oldest (3 GiB); keeping 3 would free only 2 GiB.
    expect(
      retentionThatFrees(
        [1, 1, 1, 1, 1].map((g) => g * GiB),
        2.5 * GiB,
      ),
    ).toEqual({ keep: 2, freesBytes: 3 * GiB });
    expect(retentionThatFrees([GiB], GiB)).toBeUndefined();
  });
});
