import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "./index.js";
import { runHks, tempDir } from "./run.test-helpers.js";

const root = tempDir("hks-db-");
const DB = `hks_bf_test_${process.pid}`;

const psql = (sql: string, db = "postgres") =>
  spawnSync("psql", ["-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", db, "-c", sql], {
    encoding: "utf8",
  });
const mariadb = (sql: string) =>
  spawnSync("mariadb", ["--protocol=TCP", "-h", "127.0.0.1", "-P", "3306", "-u", "root", "-e", sql], { encoding: "utf8" });

const pgUp = spawnSync("pg_isready", ["-h", "127.0.0.1", "-p", "5432"]).status === 0;
const myUp = mariadb("select 1").status === 0;
if (!pgUp) console.warn("PostgreSQL is not reachable at 127.0.0.1:5432; pg_dump tests skipped");
if (!myUp) console.warn("MariaDB is not reachable at 127.0.0.1:3306; mysqldump tests skipped");

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!pgUp)("pg_dump against PostgreSQL", () => {
  beforeAll(() => {
    psql(`drop database if exists ${DB}`);
    expect(psql(`create database ${DB}`).status).toBe(0);
    const r = psql(
      "create table items(id int primary key, name text); insert into items select g, 'item ' || g from generate_series(1, 500) g;",
      DB,
    );
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => psql(`drop database if exists ${DB}`));

  const dest = path.join(root, "pg");
  let snapshot = "";

  it("writes a .pgdump that pg_restore can list, verified", () => {
    const r = runHks({
      HKS_FUNCTION: "pg_dump",
      HKS_DB_HOST: "127.0.0.1",
      HKS_DB_PORT: "5432",
      HKS_DB_NAME: DB,
      HKS_DB_USER: "postgres",
      PGPASSWORD: "unused-with-trust",
      HKS_DEST_DIR: dest,
      HKS_VERIFY: "true",
      HKS_NOW: "2026-11-26T02:00:00Z",
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({ function: "pg_dump", snapshot: "20261126T020000Z.pgdump", verified: true, files: 1 });
    expect(r.result.sourceBytes).toBeGreaterThan(1_000_000); // pg_database_size
    snapshot = r.result.snapshot!;
    const list = spawnSync("pg_restore", ["--list", path.join(dest, snapshot)], { encoding: "utf8" });
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/TABLE DATA public items/);
    expect(r.stderr + r.stdout).not.toContain("unused-with-trust");
  });

  it("verify mode checks the dump; restore copies the dump file into the target", () => {
    const v = runHks({ HKS_MODE: "verify", HKS_SNAPSHOT: snapshot, HKS_DEST_DIR: dest });
    expect(v.code).toBe(EXIT.SUCCEEDED);
    expect(v.json).toMatchObject({ function: "pg_dump", verified: true });
    const target = path.join(root, "pg-restore");
    const r = runHks({ HKS_MODE: "restore", HKS_SNAPSHOT: snapshot, HKS_DEST_DIR: dest, HKS_RESTORE_DIR: target });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(readdirSync(target)).toEqual([snapshot]);
    expect(readFileSync(path.join(target, snapshot)).equals(readFileSync(path.join(dest, snapshot)))).toBe(true);
  });

  it("a database that does not exist is SOURCE_MISSING", () => {
    const r = runHks({
      HKS_FUNCTION: "pg_dump",
      HKS_DB_HOST: "127.0.0.1",
      HKS_DB_NAME: `${DB}_nope`,
      HKS_DB_USER: "postgres",
      HKS_DEST_DIR: dest,
    });
    expect(r.code).toBe(EXIT.SOURCE_MISSING);
    expect(r.result.message).toMatch(/does not exist/);
  });

  it("an unreachable server is an ERROR with the connection error", () => {
    const r = runHks({
      HKS_FUNCTION: "pg_dump",
      HKS_DB_HOST: "127.0.0.1",
      HKS_DB_PORT: "1",
      HKS_DB_NAME: DB,
      HKS_DB_USER: "postgres",
      HKS_DEST_DIR: dest,
    });
    expect(r.code).toBe(EXIT.ERROR);
    expect(r.result.message).toMatch(/Cannot connect/);
    expect(readdirSync(dest)).toEqual([snapshot]);
  });
});

describe.skipIf(!myUp)("mysqldump against MariaDB", () => {
  beforeAll(() => {
    mariadb(`drop database if exists ${DB}`);
    const r = mariadb(
      `create database ${DB}; create table ${DB}.items(id int primary key, name varchar(50)); insert into ${DB}.items values (1,'one'),(2,'two'),(3,'it''s');`,
    );
    expect(r.status, r.stderr).toBe(0);
  });
  afterAll(() => mariadb(`drop database if exists ${DB}`));

  it.each([
    ["zstd", ".sql.zst", "zstd"],
    ["gzip", ".sql.gz", "gzip"],
  ] as const)("writes a verified %s dump ending with '-- Dump completed'", (compression, suffix, tool) => {
    const dest = path.join(root, `my-${compression}`);
    const r = runHks({
      HKS_FUNCTION: "mysqldump",
      HKS_COMPRESSION: compression,
      HKS_DB_HOST: "127.0.0.1",
      HKS_DB_PORT: "3306",
      HKS_DB_NAME: DB,
      HKS_DB_USER: "root",
      MYSQL_PWD: "",
      HKS_DEST_DIR: dest,
      HKS_VERIFY: "true",
      HKS_NOW: "2026-11-26T02:00:00Z",
    });
    expect(r.code, r.stderr).toBe(EXIT.SUCCEEDED);
    expect(r.json).toMatchObject({ function: "mysqldump", snapshot: `20261126T020000Z${suffix}`, verified: true });
    const sql = spawnSync(tool, ["-dc", path.join(dest, r.result.snapshot!)], { encoding: "utf8" }).stdout;
    expect(sql).toContain("CREATE TABLE `items`");
    expect(sql).toContain("(3,'it\\'s')");
    expect(sql.trimEnd().split("\n").at(-1)).toMatch(/^-- Dump completed/);
    const v = runHks({ HKS_MODE: "verify", HKS_SNAPSHOT: r.result.snapshot!, HKS_DEST_DIR: dest });
    expect(v.code).toBe(EXIT.SUCCEEDED);
  });

  it("a truncated dump fails verification", () => {
    const dest = path.join(root, "my-zstd");
    const bad = spawnSync("bash", [
      "-c",
      'zstd -dc -- "$1" | head -n 5 | zstd -q -c > "$2"',
      "x",
      path.join(dest, "20261126T020000Z.sql.zst"),
      path.join(dest, "20200101T000000Z.sql.zst"),
    ]);
    expect(bad.status).toBe(0);
    const v = runHks({ HKS_MODE: "verify", HKS_SNAPSHOT: "20200101T000000Z.sql.zst", HKS_DEST_DIR: dest });
    expect(v.code).toBe(EXIT.ERROR);
    expect(v.json).toMatchObject({ verified: false });
    expect(v.result.message).toMatch(/Dump completed/);
  });

  it("a database that does not exist is SOURCE_MISSING", () => {
    const r = runHks({
      HKS_FUNCTION: "mysqldump",
      HKS_DB_HOST: "127.0.0.1",
      HKS_DB_NAME: `${DB}_nope`,
      HKS_DB_USER: "root",
      HKS_DEST_DIR: path.join(root, "my-missing"),
    });
    expect(r.code).toBe(EXIT.SOURCE_MISSING);
  });
});
