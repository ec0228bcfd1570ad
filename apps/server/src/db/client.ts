import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
/** Either driver's database: both are drizzle PgDatabases over the same schema and migrations. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

/** The committed SQL migrations (and drizzle's journal of them), applied at start-up. */
export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../migrations");

/**
 * Opens PostgreSQL when a URL is given, else the embedded PGlite under `dataDir`,
 * and applies the committed migrations before anything else touches the tables.
 */
export async function openDatabase(options: {
  url?: string;
  dataDir: string;
  afterMigrate?: (db: Database) => Promise<void>;
}): Promise<DatabaseHandle> {
  if (options.url) {
    const client = postgres(options.url, { max: 10, onnotice: () => undefined });
    const db = drizzlePostgres(client, { schema }) as unknown as Database;
    // Instances starting together take turns: two migrators (or seeders) at once would collide.
    await withStartupLock(options.url, async () => {
      await migratePostgres(db as never, { migrationsFolder });
      await options.afterMigrate?.(db);
    });
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const dir = path.join(options.dataDir, "pglite");
  await mkdir(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  await options.afterMigrate?.(db as unknown as Database);
  return { db: db as unknown as Database, kind: "pglite", close: () => client.close() };
}

const STARTUP_LOCK = 0x484b53_0002n;

/** Holds a session advisory lock on a connection of its own for the length of `fn`. */
async function withStartupLock(url: string, fn: () => Promise<void>): Promise<void> {
  const lock = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await lock`select pg_advisory_lock(${STARTUP_LOCK.toString()}::bigint)`;
    await fn();
  } finally {
    await lock`select pg_advisory_unlock(${STARTUP_LOCK.toString()}::bigint)`.catch(() => undefined);
    await lock.end({ timeout: 5 });
  }
}

/**
 * A small pool of its own on the same database (no migrations: the main handle ran them), for work whose timing must not
 * depend on how busy the main pool is, such as the replicas' heartbeats and lease renewals.
 */
export function openSidePool(url: string, applicationName: string, max = 2): DatabaseHandle {
  const client = postgres(url, { max, onnotice: () => undefined, connection: { application_name: applicationName } });
  return { db: drizzlePostgres(client, { schema }) as unknown as Database, kind: "postgres", close: () => client.end({ timeout: 5 }) };
}
