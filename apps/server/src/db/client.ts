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
export async function openDatabase(options: { url?: string; dataDir: string }): Promise<DatabaseHandle> {
  if (options.url) {
    const client = postgres(options.url, { max: 10, onnotice: () => undefined });
    const db = drizzlePostgres(client, { schema });
    // Replicas start together: drizzle's migrator takes no lock, so one instance migrates while the others
    // wait on a session advisory lock (released if its holder dies), then find nothing left to apply.
    const session = await client.reserve();
    try {
      await session`select pg_advisory_lock(hashtext('hks.migrations'))`;
      await migratePostgres(db, { migrationsFolder });
    } finally {
      await session`select pg_advisory_unlock(hashtext('hks.migrations'))`.catch(() => undefined);
      session.release();
    }
    return { db: db as unknown as Database, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  const dir = path.join(options.dataDir, "pglite");
  await mkdir(dir, { recursive: true });
  const client = await PGlite.create(dir);
  const db = drizzlePglite(client, { schema });
  await migratePglite(db, { migrationsFolder });
  return { db: db as unknown as Database, kind: "pglite", close: () => client.close() };
}
