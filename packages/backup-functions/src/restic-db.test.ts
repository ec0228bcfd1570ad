import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "./index.js";
import { keyFile, repoFiles, runRestic } from "./restic.test-helpers.js";
import { tempDir } from "./run.test-helpers.js";

const root = tempDir("hks-restic-db-");
const DB = `hks_bf_restic_${process.pid}`;
const key = keyFile(root);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const psql = (sql: string, db = "postgres") =>
  spawnSync("psql", ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql], {
    encoding: "utf8",
  });
const mariadb = (sql: string) =>
  spawnSync("mariadb", ["--protocol=TCP", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "-e", sql], { encoding: "utf8" });
const resticUp = spawnSync("restic", ["version"]).status === 0;
const pgUp = resticUp && spawnSync("pg_isready", ["-h", "127.0.0.1", "-p", "5432"]).status === 0;
const myUp = resticUp && mariadb("select 1").status === 0;
if (!pgUp) console.warn("restic or PostgreSQL at 127.0.0.1:5432 missing; restic pg_dump tests skipped");
if (!myUp) console.warn("restic or MariaDB at 127.0.0.1:3306 missing; restic mysqldump tests skipped");

describe.skipIf(!pgUp)("pg_dump streamed into a restic repository", () => {
  beforeAll(() => {
    psql(`drop database if exists ${DB}`);
    expect(psql(`create database ${DB}`).status).toBe(0);
    const r = psql(
      "create table items(id int primary key, name text); insert into items select g, repeat('item ' || g, 20) from generate_series(1, 20000) g;",
      DB,
    );
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => psql(`drop database if exists ${DB}`));
  const repo = path.join(root, "pg");
  const env = { HKS_FUNCTION: "pg_dump", HKS_DB_HOST: "127.0.0.1", HKS_DB_NAME: DB, HKS_DB_USER: "postgres", HKS_DEST_DIR: repo };

  it("streams the dump with --stdin (no temporary file), deduplicates the next run, and the dump reads back", () => {
    const r = runRestic(key, { ...env, HKS_RUN_ID: "pg-1" });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({ function: "pg_dump", format: "restic", files: 1, runId: "pg-1" });
    expect(r.stderr).toMatch(/pg_dump: exit 0, restic exit 0/);
    const dumpBytes = r.json.bytesRead as number;
    expect(dumpBytes).toBeGreaterThan(1_000_000);
    psql("insert into items values (20001, 'one more')", DB);
    const r2 = runRestic(key, { ...env, HKS_RUN_ID: "pg-2" });
    expect(r2.code, r2.stderr).toBe(EXIT.SUCCEEDED);
    // one more row: almost everything deduplicates
    expect(r2.result.bytes).toBeLessThan(dumpBytes / 10);
    const out = path.join(root, "restored.pgdump");
    const d = runRestic(key, {
      HKS_MODE: "dump",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: "latest",
      HKS_PATH: `/${DB}.pgdump`,
      HKS_OUTPUT_FILE: out,
    });
    expect(d.code, d.stderr).toBe(EXIT.SUCCEEDED);
    const list = spawnSync("pg_restore", ["--list", out], { encoding: "utf8" });
    expect(list.stdout).toMatch(/TABLE DATA public items/);
    const sql = spawnSync("pg_restore", ["--data-only", "--file=-", out], { encoding: "utf8", maxBuffer: 64 << 20 });
    expect(sql.stdout).toContain("one more");
  });

  it("a database that does not exist is SOURCE_MISSING and leaves no snapshot", () => {
    const before = repoFiles(repo, "snapshots");
    const r = runRestic(key, { ...env, HKS_DB_NAME: `${DB}_nope` });
    expect(r.code).toBe(EXIT.SOURCE_MISSING);
    expect(repoFiles(repo, "snapshots")).toEqual(before);
  });
});

describe.skipIf(!myUp)("mysqldump streamed into a restic repository", () => {
  beforeAll(() => {
    mariadb(`drop database if exists ${DB}`);
    const r = mariadb(
      `create database ${DB}; create table ${DB}.notes(id int primary key, body text); insert into ${DB}.notes values (1, 'first note'), (2, 'second note');`,
    );
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => mariadb(`drop database if exists ${DB}`));

  it("streams the SQL dump into the repository and writes it back out", () => {
    const repo = path.join(root, "my");
    const r = runRestic(key, {
      HKS_FUNCTION: "mysqldump",
      HKS_DB_HOST: "127.0.0.1",
      HKS_DB_USER: "root",
      HKS_DB_NAME: DB,
      HKS_DEST_DIR: repo,
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({ function: "mysqldump", format: "restic", files: 1 });
    const out = path.join(root, "restored.sql");
    const d = runRestic(key, {
      HKS_MODE: "dump",
      HKS_DEST_DIR: repo,
      HKS_SNAPSHOT: r.result.snapshot!,
      HKS_PATH: `/${DB}.sql`,
      HKS_OUTPUT_FILE: out,
    });
    expect(d.code, d.stderr).toBe(EXIT.SUCCEEDED);
    const text = readFileSync(out, "utf8");
    expect(text).toMatch(/CREATE TABLE `notes`/);
    expect(text).toContain("second note");
    expect(text.trimEnd().split("\n").at(-1)).toMatch(/^-- Dump completed/);
  });
});
