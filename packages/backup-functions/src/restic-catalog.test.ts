import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keyFile, runRestic } from "./restic.test-helpers.js";
import { tempDir } from "./run.test-helpers.js";

const resticUp = spawnSync("restic", ["version"]).status === 0;
const root = tempDir("hks-restic-catalog-");
const key = keyFile(root);
const volume = path.join(root, "volume");
const source = path.join(root, "source");
mkdirSync(path.join(source, "data"), { recursive: true });
writeFileSync(path.join(source, "data", "a.txt"), "alpha\n");
writeFileSync(path.join(source, "data", "b.txt"), "bravo bravo\n");
afterAll(() => rmSync(root, { recursive: true, force: true }));

const A = "11111111-1111-4111-8111-111111111111";
const B = "22222222-2222-4222-8222-222222222222";
const APP = "33333333-3333-4333-8333-333333333333";

function backUp(folder: string, backupId: string, run: string, name?: string) {
  const r = runRestic(key, {
    HKS_MODE: "backup",
    HKS_FUNCTION: "files",
    HKS_SOURCE_DIR: source,
    HKS_DEST_DIR: path.join(volume, folder),
    HKS_BACKUP_ID: backupId,
    HKS_RUN_ID: run,
    HKS_APPLICATION_ID: APP,
    HKS_BACKUP_NAME: name,
  });
  expect(r.code, r.stderr).toBe(0);
  return r.result.snapshot!;
}

type Catalog = {
  repositories: Array<{
    path: string;
    error: string | null;
    snapshots: Array<{
      id: string;
      backupId: string;
      runId: string;
      applicationId: string;
      backupName: string | null;
      totalFiles?: number;
      totalBytes?: number;
    }>;
  }>;
};
const catalogOf = (stdout: string) => JSON.parse(stdout.split("\n").find((l) => l.startsWith('{"repositories":'))!) as Catalog;

describe.skipIf(!resticUp)("restic catalog modes", () => {
  const ids: Record<string, string> = {};

  it("lists every repository on a volume with its snapshots and the tags a rescan recovers a Backup from", () => {
    ids["a1"] = backUp("shop/db", A, "job-a1", "nightly");
    ids["b1"] = backUp("shop/db", B, "job-b1", "hourly");
    ids["a2"] = backUp("other/deep/repo", A, "job-a2", "nightly");
    const r = runRestic(key, { HKS_MODE: "catalog", HKS_DEST_DIR: volume, HKS_KNOWN_SNAPSHOTS: ids["a2"]!.slice(0, 8) });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ mode: "catalog", outcome: "SUCCEEDED", repositories: 2, snapshotCount: 3, unreadable: [] });
    const doc = catalogOf(r.stdout);
    expect(doc.repositories.map((x) => x.path)).toEqual(["other/deep/repo", "shop/db"]);
    const shop = doc.repositories[1]!.snapshots;
    expect(shop.map((s) => s.id).sort()).toEqual([ids["a1"], ids["b1"]].sort());
    expect(shop.find((s) => s.id === ids["a1"])).toMatchObject({
      backupId: A,
      runId: "job-a1",
      applicationId: APP,
      backupName: "nightly",
      totalFiles: 2,
      totalBytes: 18,
    });
    // A snapshot HKS already knows is not listed again for its figures.
    expect(doc.repositories[0]!.snapshots[0]).not.toHaveProperty("totalFiles");
  });

  it("says which repository the key does not open, and still lists the others", () => {
    const other = keyFile(root, "other-key");
    const r1 = runRestic(other, {
      HKS_MODE: "backup",
      HKS_FUNCTION: "files",
      HKS_SOURCE_DIR: source,
      HKS_DEST_DIR: path.join(volume, "foreign"),
    });
    expect(r1.code).toBe(0);
    const r = runRestic(key, { HKS_MODE: "catalog", HKS_DEST_DIR: volume });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json["unreadable"]).toEqual([{ path: "foreign", error: expect.stringMatching(/key does not open/) }]);
    expect(r.result.message).toMatch(/1 could not be read/);
    rmSync(path.join(volume, "foreign"), { recursive: true, force: true });
  });

  it("forgets one Backup's snapshots and prunes them, never another Backup's", () => {
    const r = runRestic(key, { HKS_MODE: "forget-backup", HKS_DEST_DIR: path.join(volume, "shop/db"), HKS_BACKUP_ID: A });
    expect(r.code, r.stderr).toBe(0);
    expect(r.result.pruned).toEqual([ids["a1"]]);
    const left = catalogOf(runRestic(key, { HKS_MODE: "catalog", HKS_DEST_DIR: volume }).stdout);
    expect(left.repositories[1]!.snapshots.map((s) => s.backupId)).toEqual([B]);
    const again = runRestic(key, { HKS_MODE: "forget-backup", HKS_DEST_DIR: path.join(volume, "shop/db"), HKS_BACKUP_ID: A });
    expect(again.code).toBe(0);
    expect(again.result.message).toMatch(/holds no snapshot of backup/);
  });
});
