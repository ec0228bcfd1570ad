import { describe, expect, it } from "vitest";
import { catalogDocument, describeRescan } from "./catalog-rebuild.js";

describe("the catalog document of a rescan Job", () => {
  it("is read from the one log line that carries it, among the script's log lines", () => {
    const logs = [
      "2026-12-04T22:00:00Z hks-backup: catalog: reading /backup/shop/db",
      '{"repositories":[{"path":"shop/db","snapshots":[{"id":"ab","time":"2026-12-04T22:00:00Z","kind":"backup","backupId":null,"runId":null,"applicationId":null,"backupName":null}],"error":null}]}',
      '2026-12-04T22:00:01Z hks-backup: result: {"mode":"catalog"}',
    ].join("\n");
    expect(catalogDocument(logs)).toEqual([
      {
        path: "shop/db",
        error: null,
        snapshots: [
          { id: "ab", time: "2026-12-04T22:00:00Z", kind: "backup", backupId: null, runId: null, applicationId: null, backupName: null },
        ],
      },
    ]);
  });

  it("is missing when the log was cut or holds no document", () => {
    expect(catalogDocument("restic: Fatal: unable to open config file")).toBeUndefined();
    expect(catalogDocument('{"repositories":[{"path":')).toBeUndefined();
  });
});

describe("a rescan's outcome in words", () => {
  it("says what was recorded, recovered and pruned", () => {
    expect(
      describeRescan("backup-vol", {
        repositories: 1,
        snapshots: 4,
        recorded: 2,
        recoveredBackups: 1,
        recoveredNames: ["nightly"],
        pruned: 1,
        unassigned: 0,
      }),
    ).toBe(
      "Rescanned 'backup-vol': 4 snapshot(s) in 1 restic repository; 2 missing restore point(s) recorded again; 1 deleted Backup(s) recovered from the snapshots' tags ('nightly'); 1 restore point(s) whose snapshot is no longer in the repository marked as pruned.",
    );
  });

  it("says when nothing was missing, and names repositories it could not read", () => {
    expect(
      describeRescan("v", { repositories: 2, snapshots: 3, recorded: 0, unreadable: [{ path: "old", error: "the key does not open it" }] }),
    ).toBe(
      "Rescanned 'v': 3 snapshot(s) in 2 restic repositories; no restore point was missing; unreadable: old (the key does not open it).",
    );
  });
});
