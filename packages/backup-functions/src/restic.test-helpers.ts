/** Test helpers for HKS_FORMAT=restic: a key file per test file and runs with it. */
import { randomBytes } from "node:crypto";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runHks, type Run } from "./run.test-helpers.js";

/** Writes a random repository key into `dir` and returns its path. */
export function keyFile(dir: string, name = "restic-key"): string {
  const p = path.join(dir, name);
  writeFileSync(p, randomBytes(24).toString("base64") + "\n", { mode: 0o600 });
  return p;
}

/** Runs bin/hks-backup with HKS_FORMAT=restic and the given key. */
export function runRestic(key: string | undefined, env: Record<string, string | undefined>): Run {
  return runHks({ HKS_FORMAT: "restic", RESTIC_PASSWORD_FILE: key, ...env });
}

/** The repository's files below a folder (names only, sorted), to show nothing was changed. */
export function repoFiles(repo: string, sub: string): string[] {
  try {
    return readdirSync(path.join(repo, sub), { recursive: true, encoding: "utf8" }).sort();
  } catch {
    return [];
  }
}

/** `count` files of mixed text (compressible) and random bytes, in a few folders. */
export function mixedTree(count: number, bytesEach: number): Record<string, string | Buffer> {
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < count; i++) {
    const rel = `d${i % 5}/f${i}.${i % 2 ? "bin" : "txt"}`;
    files[rel] = i % 2 ? randomBytes(bytesEach) : `line ${i} of a log file with some repeated words\n`.repeat(Math.ceil(bytesEach / 48));
  }
  return files;
}
