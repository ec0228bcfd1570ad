import { execFile, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, planPrune, snapshotTime, type PruneDocument, type RetentionPolicy } from "./index.js";
import fixtures from "./retention.fixtures.json" with { type: "json" };
import { keyFile, runRestic } from "./restic.test-helpers.js";
import { tempDir } from "./run.test-helpers.js";

interface Fixture {
  name: string;
  timeZone: string;
  policy: RetentionPolicy;
  snapshots: string[];
}
const resticUp = spawnSync("restic", ["version"]).status === 0;
const root = tempDir("hks-restic-retention-");
const key = keyFile(root);
const empty = path.join(root, "empty");
mkdirSync(empty);
writeFileSync(path.join(empty, "marker"), "x");
const run = promisify(execFile);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// restic orders snapshots of the same second by chance; the names break such ties only in the plain format
const cases = (fixtures.cases as Fixture[]).filter((c) => {
  const seconds = c.snapshots.map((s) => snapshotTime(s)?.getTime());
  return seconds.every((t) => t !== undefined) && new Set(seconds).size === seconds.length;
});

/** A backup snapshot at the fixture's time, made in the policy's time zone as the backup Job does (TZ). */
async function snapshotAt(repo: string, time: Date, timeZone: string): Promise<void> {
  const local = spawnSync("date", ["-d", `@${time.getTime() / 1000}`, "+%Y-%m-%d %H:%M:%S"], {
    env: { TZ: timeZone },
    encoding: "utf8",
  }).stdout.trim();
  await run(
    "restic",
    ["-r", repo, "--password-file", key, "backup", "-q", "--host", "hks", "--tag", "hks-kind:backup", "--time", local, "."],
    {
      cwd: empty,
      env: { ...process.env, TZ: timeZone, RESTIC_CACHE_DIR: path.join(root, "cache") },
    },
  );
}

/** Backups take a shared lock: several at once keep the 120-snapshot cases short. */
async function snapshotsAt(repo: string, names: string[], timeZone: string): Promise<void> {
  const queue = [...names];
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let s = queue.shift(); s; s = queue.shift()) await snapshotAt(repo, snapshotTime(s)!, timeZone);
    }),
  );
}

describe.skipIf(!resticUp)("retention: the TS prune preview agrees with restic forget --dry-run", () => {
  // the 120-snapshot cases make 120 restic backups each: minutes on a busy machine
  it.each(cases.map((c) => [c.name, c] as const))("%s", { timeout: 400_000 }, async (_name, c) => {
    const repo = path.join(root, `repo-${cases.indexOf(c)}`);
    expect(spawnSync("restic", ["-r", repo, "--password-file", key, "init", "-q"]).status).toBe(0);
    await snapshotsAt(repo, c.snapshots, c.timeZone);
    const policy = c.policy;
    const r = runRestic(key, {
      HKS_MODE: "prune",
      HKS_DRY_RUN: "true",
      HKS_DEST_DIR: repo,
      HKS_TIMEZONE: c.timeZone,
      HKS_KEEP_LAST: policy.keepLast?.toString(),
      HKS_KEEP_DAILY: policy.keepDaily?.toString(),
      HKS_KEEP_WEEKLY: policy.keepWeekly?.toString(),
      HKS_KEEP_MONTHLY: policy.keepMonthly?.toString(),
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    const doc = JSON.parse(r.stdout) as PruneDocument;
    const ts = planPrune(
      c.snapshots.map((name) => ({ name, time: snapshotTime(name)! })),
      policy,
      c.timeZone,
    );
    const stamp = (iso: string) => new Date(iso).getTime();
    const byTime = new Map(c.snapshots.map((s) => [snapshotTime(s)!.getTime(), s]));
    if (doc.keep === null) {
      // no rule: restic removes nothing, and neither does the preview
      expect(ts.remove).toEqual([]);
      return;
    }
    expect(doc.remove.map((s) => byTime.get(stamp(s.time))).sort()).toEqual([...ts.remove].sort());
    expect(doc.keep.map((s) => byTime.get(stamp(s.time))).sort()).toEqual([...ts.keep].sort());
    // a dry run changes nothing
    expect(runRestic(key, { HKS_MODE: "snapshots", HKS_DEST_DIR: repo, HKS_SNAPSHOT_SIZES: "false" }).json.count).toBe(c.snapshots.length);
  });
});
