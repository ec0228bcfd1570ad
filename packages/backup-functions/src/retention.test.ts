import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BIN_DIR, EXIT, planPrune, planPruneNames, snapshotTime, type RetentionPolicy } from "./index.js";
import fixtures from "./retention.fixtures.json" with { type: "json" };
import { runHks, tempDir, writeTree } from "./run.test-helpers.js";

interface Fixture {
  name: string;
  timeZone: string;
  policy: RetentionPolicy;
  snapshots: string[];
  keep?: string[];
}
const cases = fixtures.cases as Fixture[];
const root = tempDir("hks-retention-");
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Lays out fake snapshots (folders for rsync/custom names, files otherwise) plus entries retention must ignore. */
function layout(dir: string, names: string[]) {
  mkdirSync(dir, { recursive: true });
  for (const n of names) {
    if (/Z$/.test(n)) mkdirSync(path.join(dir, n), { recursive: true });
    else writeFileSync(path.join(dir, n), "x");
  }
  writeFileSync(path.join(dir, "README.txt"), "not a snapshot");
  writeFileSync(path.join(dir, "20200101T000000Z.tar.zst.partial"), "unfinished");
  writeFileSync(path.join(dir, "20201301T000000Z.tar.zst"), "invalid month");
}

function policyEnv(p: RetentionPolicy): Record<string, string | undefined> {
  return {
    HKS_KEEP_LAST: p.keepLast?.toString(),
    HKS_KEEP_DAILY: p.keepDaily?.toString(),
    HKS_KEEP_WEEKLY: p.keepWeekly?.toString(),
    HKS_KEEP_MONTHLY: p.keepMonthly?.toString(),
  };
}

/** The bash retention's plan for a folder (bin/lib/retention.sh run directly, env only). */
function bashPlan(dir: string, policy: RetentionPolicy, timeZone: string) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HKS_DEST_DIR: dir, HKS_TIMEZONE: timeZone };
  for (const [k, v] of Object.entries(policyEnv(policy))) if (v !== undefined) env[k] = v;
  const p = spawnSync(path.join(BIN_DIR, "lib/retention.sh"), [], { env, encoding: "utf8" });
  expect(p.status, p.stderr).toBe(0);
  const keep: string[] = [];
  const remove: string[] = [];
  for (const line of p.stdout.trim().split("\n").filter(Boolean)) {
    const [action, name] = line.split(" ") as [string, string];
    (action === "keep" ? keep : remove).push(name);
  }
  return { keep, remove };
}

describe("retention fixtures: planPrune (TS) and retention.sh (bash) agree", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const ts = planPruneNames(c.snapshots, c.policy, c.timeZone);
    expect([...ts.keep, ...ts.remove].sort()).toEqual([...c.snapshots].sort());
    if (c.keep) expect(ts.keep).toEqual(c.keep);
    const dir = path.join(root, "fixture-" + cases.indexOf(c));
    layout(dir, c.snapshots);
    const sh = bashPlan(dir, c.policy, c.timeZone);
    expect(sh).toEqual(ts);
  });

  it("the newest snapshot is always kept", () => {
    for (const c of cases) {
      const ts = planPruneNames(c.snapshots, c.policy, c.timeZone);
      const newest = [...c.snapshots].sort((a, b) => snapshotTime(b)!.getTime() - snapshotTime(a)!.getTime() || (a < b ? 1 : -1))[0];
      expect(ts.keep[0]).toBe(newest);
    }
  });

  it("planPrune validates the policy and the time zone", () => {
    expect(() => planPrune([], { keepLast: -1 })).toThrow(RangeError);
    expect(() => planPrune([], { keepDaily: 1.5 })).toThrow(RangeError);
    expect(() => planPrune([], { keepDaily: 1 }, "Mars/Olympus")).toThrow(RangeError);
  });

  it("snapshotTime parses names of every format and rejects others", () => {
    expect(snapshotTime("20261126T020000Z.tar.zst")?.toISOString()).toBe("2026-11-26T02:00:00.000Z");
    expect(snapshotTime("20261126T020000Z")?.toISOString()).toBe("2026-11-26T02:00:00.000Z");
    expect(snapshotTime("20240229T235959Z.sql.gz")?.toISOString()).toBe("2024-02-29T23:59:59.000Z");
    expect(snapshotTime("20250229T000000Z.pgdump")).toBeUndefined();
    expect(snapshotTime("20261126T020000Z.tar.zst.partial")).toBeUndefined();
    expect(snapshotTime("20261126T240000Z")).toBeUndefined();
    expect(snapshotTime("latest")).toBeUndefined();
  });
});

describe("retention in a backup run", () => {
  const src = path.join(root, "src");
  writeTree(src, { "f.txt": "data\n" });

  // 40 nightly snapshots made by earlier runs (2026-10-01 .. 2026-11-09 at 02:00Z) plus two extra same-day runs
  const days = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2026, 9, 1, 2) + i * 86_400_000));
  const old = days.map(
    (d) =>
      d
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")
        .replace(/[-:]/g, "") + ".tar.gz",
  );
  old.push("20261109T140000Z.tar.gz", "20261108T200000Z.tar.gz");

  it("prunes after a successful run with the same plan planPrune previews, keeping the new snapshot", () => {
    const dest = path.join(root, "run/dest");
    layout(dest, old);
    const policy = { keepLast: 2, keepDaily: 5, keepWeekly: 3, keepMonthly: 2 };
    const preview = planPruneNames([...old, "20261110T020000Z.tar.gz"], policy, "Europe/Berlin");
    const r = runHks({
      HKS_FUNCTION: "tar",
      HKS_COMPRESSION: "gzip",
      HKS_SOURCE_DIR: src,
      HKS_DEST_DIR: dest,
      HKS_NOW: "2026-11-10T02:00:00Z",
      HKS_TIMEZONE: "Europe/Berlin",
      ...policyEnv(policy),
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.result.snapshot).toBe("20261110T020000Z.tar.gz");
    expect(r.result.pruned).toEqual(preview.remove);
    expect(r.result.pruned.length).toBeGreaterThan(20);
    const left = readdirSync(dest)
      .filter((n) => snapshotTime(n))
      .sort();
    expect(left).toEqual([...preview.keep].sort());
    expect(left).toContain("20261110T020000Z.tar.gz");
    // the entries that are not snapshots are untouched
    expect(readdirSync(dest)).toEqual(expect.arrayContaining(["README.txt", "20201301T000000Z.tar.zst"]));
    expect(r.result.message).toMatch(/pruned \d+ old snapshot/);
  });

  it("keepLast 1 never deletes the snapshot just written, even when older names sort newer", () => {
    const dest = path.join(root, "run/dest-future");
    layout(dest, ["20301231T000000Z.tar.zst"]);
    const r = runHks({ HKS_FUNCTION: "tar", HKS_SOURCE_DIR: src, HKS_DEST_DIR: dest, HKS_NOW: "2026-11-10T02:00:00Z", HKS_KEEP_LAST: "1" });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(readdirSync(dest)).toEqual(expect.arrayContaining(["20261110T020000Z.tar.zst", "20301231T000000Z.tar.zst"]));
    expect(r.result.pruned).toEqual([]);
  });

  it("prunes nothing after a failed run", () => {
    const dest = path.join(root, "run/dest-failed");
    layout(dest, old);
    const before = readdirSync(dest).sort();
    const r = runHks({
      HKS_FUNCTION: "tar",
      HKS_SOURCE_DIR: path.join(root, "gone"),
      HKS_DEST_DIR: dest,
      HKS_NOW: "2026-11-10T02:00:00Z",
      HKS_KEEP_LAST: "1",
    });
    expect(r.code).toBe(EXIT.SOURCE_MISSING);
    expect(r.result.pruned).toEqual([]);
    const r2 = runHks({
      HKS_FUNCTION: "custom",
      HKS_CUSTOM_SCRIPT: "exit 1",
      HKS_DEST_DIR: dest,
      HKS_NOW: "2026-11-10T02:00:00Z",
      HKS_KEEP_LAST: "1",
    });
    expect(r2.code).toBe(EXIT.ERROR);
    expect(r2.result.pruned).toEqual([]);
    // the stale .partial of the fixture is cleaned, everything else stays
    expect(readdirSync(dest).sort()).toEqual(before.filter((n) => !n.endsWith(".partial")));
  });
});
