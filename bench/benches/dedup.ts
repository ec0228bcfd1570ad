/**
 * dedup: 30 daily runs of the real bin/hks-backup over a >= 128 MiB source of real files (text, media,
 * page-structured binary) where 2% of the files change and 1% are added per run, no retention. Bytes
 * stored after the runs: restic repository vs tar.zst archives vs rsync hard-link snapshots (the
 * baselines, same runs), and what a run over an unchanged source adds to the repository.
 *
 * Target: restic stores <= 1/8 of tar.zst's bytes after 30 runs; an unchanged run adds < 1% of the source.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { report } from "../lib/result.js";
import { fmtMiB, hks, keyFile, makeSource, mutate, nowFor, storedBytes, tempRoot } from "./backup/source.js";

const RUNS = Number(process.env.BENCH_DEDUP_RUNS ?? 30);
const log = (m: string) => process.stderr.write(`[dedup] ${m}\n`);

const root = tempRoot("dedup");
try {
  const key = keyFile(root);
  const src = makeSource(root, 128);
  log(`source: ${src.files.length} files, ${fmtMiB(src.bytes)}`);
  const repo = path.join(root, "restic");
  const tar = path.join(root, "tar");
  const rsync = path.join(root, "rsync");
  const spent = { restic: 0, tar: 0, rsync: 0 };
  for (let i = 0; i < RUNS; i++) {
    if (i > 0) mutate(src, 2, 1);
    const now = nowFor(i);
    spent.restic += hks({
      HKS_FORMAT: "restic",
      RESTIC_PASSWORD_FILE: key,
      HKS_FUNCTION: "files",
      HKS_SOURCE_DIR: src.dir,
      HKS_DEST_DIR: repo,
      HKS_NOW: now,
    }).ms;
    spent.tar += hks({ HKS_FUNCTION: "tar", HKS_SOURCE_DIR: src.dir, HKS_DEST_DIR: tar, HKS_NOW: now }).ms;
    spent.rsync += hks({ HKS_FUNCTION: "rsync", HKS_SOURCE_DIR: src.dir, HKS_DEST_DIR: rsync, HKS_NOW: now }).ms;
    if (i % 5 === 4 || i === RUNS - 1)
      log(
        `run ${i + 1}/${RUNS}: restic ${fmtMiB(storedBytes(repo))}, tar.zst ${fmtMiB(storedBytes(tar))}, rsync ${fmtMiB(storedBytes(rsync))}`,
      );
  }
  const stored = { restic: storedBytes(repo), tar: storedBytes(tar), rsync: storedBytes(rsync) };
  const sourceNow = storedBytes(src.dir);
  const unchanged = hks({
    HKS_FORMAT: "restic",
    RESTIC_PASSWORD_FILE: key,
    HKS_FUNCTION: "files",
    HKS_SOURCE_DIR: src.dir,
    HKS_DEST_DIR: repo,
    HKS_NOW: nowFor(RUNS),
  });
  const added = Number(unchanged.result.bytes);
  const ratio = stored.restic / stored.tar;
  const addedPct = (100 * added) / sourceNow;
  report({
    bench: "dedup",
    figures: [
      {
        what: `stored after ${RUNS} runs (source ${fmtMiB(src.bytes)} → ${fmtMiB(sourceNow)}, 2% changed + 1% added per run)`,
        value: `restic ${fmtMiB(stored.restic)} / tar.zst ${fmtMiB(stored.tar)} / rsync ${fmtMiB(stored.rsync)}`,
      },
      { what: "restic vs tar.zst", value: `1/${(1 / ratio).toFixed(1)}` },
      { what: "restic vs rsync snapshots", value: `1/${(stored.rsync / stored.restic).toFixed(1)}` },
      { what: "an unchanged run adds", value: `${added} B (${addedPct.toFixed(3)}% of the source)` },
      {
        what: "time for all runs",
        value: `restic ${(spent.restic / 1000).toFixed(0)} s / tar.zst ${(spent.tar / 1000).toFixed(0)} s / rsync ${(spent.rsync / 1000).toFixed(0)} s`,
      },
    ],
    target: "restic <= 1/8 of tar.zst after 30 runs; unchanged run adds < 1% of the source",
    met: RUNS >= 30 && ratio <= 1 / 8 && addedPct < 1,
    note: RUNS < 30 ? `only ${RUNS} runs (BENCH_DEDUP_RUNS); the target is for 30` : undefined,
  });
} finally {
  rmSync(root, { recursive: true, force: true });
}
