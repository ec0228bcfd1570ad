/**
 * Shared by the dedup, backup-time and restore benches: a source of real files in a temp folder
 * (outside the lab) and runs of the product's bin/hks-backup with the same env the backup Jobs get.
 */
import { spawnSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import {
  appendFileSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ENTRY = fileURLToPath(new URL("../../../packages/backup-functions/bin/hks-backup", import.meta.url));
export const MiB = 1024 * 1024;

export interface HksRun {
  code: number;
  ms: number;
  result: Record<string, unknown>;
}

/** Runs bin/hks-backup with exactly these variables (plus PATH/TMPDIR), like a Job's container. */
export function hks(env: Record<string, string>): HksRun {
  const dir = mkdtempSync(path.join(os.tmpdir(), "hks-bench-term-"));
  const term = path.join(dir, "termination-log");
  const started = performance.now();
  const p = spawnSync(ENTRY, [], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", TMPDIR: os.tmpdir(), HKS_TERMINATION_LOG: term, ...env },
    encoding: "utf8",
    maxBuffer: 64 * MiB,
  });
  const ms = performance.now() - started;
  let result: Record<string, unknown> = {};
  try {
    result = JSON.parse(readFileSync(term, "utf8")) as Record<string, unknown>;
  } catch {
    // reported below with the exit code
  }
  rmSync(dir, { recursive: true, force: true });
  if (p.status !== 0) throw new Error(`hks-backup exited ${p.status}: ${String(result.message ?? p.stderr.slice(-2000))}`);
  return { code: p.status, ms, result };
}

/** Bytes on disk below a folder, hard links once (du -sb). */
export function storedBytes(dir: string): number {
  const p = spawnSync("du", ["-sb", dir], { encoding: "utf8" });
  return Number(p.stdout.split("\t")[0]);
}

const WORDS = "GET POST /api/v1/items /api/v1/users status=200 status=404 INFO WARN user= request took ms cache hit miss".split(" ");

/** A log-like text file: compresses about 4-6x, like real logs and sources. */
function textFile(bytes: number): Buffer {
  const lines: string[] = [];
  let n = 0;
  while (n < bytes) {
    const line = `2026-11-26T02:${String(randomInt(60)).padStart(2, "0")}:${String(randomInt(60)).padStart(2, "0")}Z ${WORDS[randomInt(WORDS.length)]} ${WORDS[randomInt(WORDS.length)]} id=${randomBytes(4).toString("hex")} n=${randomInt(100000)}\n`;
    lines.push(line);
    n += line.length;
  }
  return Buffer.from(lines.join(""));
}

/** Database-page-like binary: random records in mostly empty 4 KiB pages (compresses ~2x). */
function pagesFile(bytes: number): Buffer {
  const b = Buffer.alloc(bytes);
  for (let off = 0; off < bytes; off += 4096) randomBytes(Math.min(2048, bytes - off)).copy(b, off);
  return b;
}

export interface Source {
  dir: string;
  files: string[];
  bytes: number;
}

/** Writes about `totalMiB` MiB of files: 40% text, 30% incompressible media, 30% page-structured binary. */
export function makeSource(root: string, totalMiB: number): Source {
  const dir = path.join(root, "source");
  const files: string[] = [];
  let bytes = 0;
  let i = 0;
  while (bytes < totalMiB * MiB) {
    const rel = addFile(dir, i++);
    files.push(rel);
    bytes += fileSize(path.join(dir, rel));
  }
  return { dir, files, bytes };
}

const fileSize = (p: string): number => statSync(p).size;

/** Adds file number i (kind by i) and returns its path relative to dir. */
export function addFile(dir: string, i: number): string {
  const kind = i % 10 < 4 ? "log" : i % 10 < 7 ? "jpg" : "db";
  const rel = `part-${i % 16}/${kind}-${i}.${kind}`;
  const size = 32 * 1024 + randomInt(200 * 1024);
  mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), kind === "log" ? textFile(size) : kind === "jpg" ? randomBytes(size) : pagesFile(size));
  return rel;
}

/** One day of use: `changePct`% of the files change (logs grow, binaries get a page rewritten), `addPct`% are added. */
export function mutate(src: Source, changePct: number, addPct: number): void {
  const change = Math.max(1, Math.round((src.files.length * changePct) / 100));
  const add = Math.max(1, Math.round((src.files.length * addPct) / 100));
  for (let k = 0; k < change; k++) {
    const rel = src.files[randomInt(src.files.length)]!;
    const p = path.join(src.dir, rel);
    if (rel.endsWith(".log")) {
      appendFileSync(p, textFile(8 * 1024));
    } else {
      const fd = openSync(p, "r+");
      writeSync(fd, randomBytes(4096), 0, 4096, 4096 * randomInt(4));
      closeSync(fd);
    }
  }
  for (let k = 0; k < add; k++) src.files.push(addFile(src.dir, src.files.length + 1_000_000));
}

export function tempRoot(name: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `hks-bench-${name}-`));
}

/** A repository key file, as the Secret would mount it. */
export function keyFile(root: string): string {
  const p = path.join(root, "restic-key");
  writeFileSync(p, randomBytes(24).toString("base64"), { mode: 0o600 });
  return p;
}

/** HKS_NOW for run i: one hour apart, so plain snapshot names never clash. */
export const nowFor = (i: number): string => new Date(Date.UTC(2026, 10, 1, 2) + i * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
export const fmtMiB = (b: number): string => `${(b / MiB).toFixed(1)} MiB`;
