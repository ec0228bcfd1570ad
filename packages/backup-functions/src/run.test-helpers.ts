/** Test helpers: run the real scripts as child processes, parameters only in the environment. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { BIN_DIR, parseResult, RESULT_MAX_BYTES, type BackupResult } from "./index.js";

export const ENTRY = path.join(BIN_DIR, "hks-backup");

export interface Run {
  code: number;
  raw: string;
  json: Record<string, unknown>;
  result: BackupResult;
  stdout: string;
  stderr: string;
}

export function tempDir(prefix = "hks-bf-"): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Runs bin/hks-backup with exactly `env` (plus PATH) and checks the result line's contract. */
export function runHks(env: Record<string, string | undefined>): Run {
  const logDir = tempDir("hks-term-");
  const termLog = path.join(logDir, "termination-log");
  const clean: Record<string, string> = { PATH: process.env.PATH ?? "/usr/bin:/bin", HKS_TERMINATION_LOG: termLog };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) clean[k] = v;
  const p = spawnSync(ENTRY, [], { env: clean, encoding: "utf8", timeout: 120_000 });
  const code = p.status ?? -1;
  const raw = existsSync(termLog) ? readFileSync(termLog, "utf8") : "";
  rmSync(logDir, { recursive: true, force: true });
  // the contract: one JSON line, at most 4096 bytes, parseable, consistent with the exit code
  expect(Buffer.byteLength(raw), `termination log too long: ${raw}`).toBeLessThanOrEqual(RESULT_MAX_BYTES);
  expect(raw.trimEnd().split("\n")).toHaveLength(1);
  const json = JSON.parse(raw) as Record<string, unknown>;
  const result = parseResult(raw, code);
  expect(result.fromMessage).toBe(true);
  expect(result.outcome).toBe(json.outcome);
  return { code, raw, json, result, stdout: p.stdout, stderr: p.stderr };
}

/** Writes files: { "a.txt": "text", "sub/b.bin": Buffer } */
export function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** Runs a shell command line written by the test itself (never with user data). */
export function sh(cmd: string, args: string[] = [], input?: string): { code: number; stdout: string; stderr: string } {
  const p = spawnSync(cmd, args, { encoding: "utf8", input });
  return { code: p.status ?? -1, stdout: p.stdout, stderr: p.stderr };
}
