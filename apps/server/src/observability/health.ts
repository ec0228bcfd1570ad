import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { rowsOf } from "../db/rows.js";
import { READINESS_TIMEOUT_MS } from "./paths.js";

export interface Readiness {
  ready: boolean;
  /** Why not, in words an operator reading `kubectl describe pod` can act on. */
  reason?: string;
  migrations?: { applied: number; expected: number };
}

interface JournalEntry {
  tag: string;
  when: number;
}

/** The migrations this build ships, from drizzle's journal; `when` is what drizzle records as created_at once applied. */
export function readJournal(migrationsFolder: string): JournalEntry[] {
  const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8")) as { entries: JournalEntry[] };
  return journal.entries.map(({ tag, when }) => ({ tag, when }));
}

/**
 * Liveness and readiness with distinct meanings. Live: the process answers, so its event loop turns
 * (no database involved: an outage must not make Kubernetes restart every pod). Ready: the database
 * answers and holds every migration of this build, so requests routed here can succeed.
 */
export class HealthChecks {
  private readonly expected: JournalEntry[];
  private inflight?: Promise<Readiness>;
  private readonly started = Date.now();
  private readonly timeoutMs: number;

  constructor(
    private readonly db: Database,
    options: { migrationsFolder: string; timeoutMs?: number },
  ) {
    this.expected = readJournal(options.migrationsFolder);
    this.timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS;
  }

  liveness() {
    return { status: "ok", uptimeSeconds: Math.round((Date.now() - this.started) / 1000) };
  }

  /**
   * Answers within timeoutMs whatever the database does. Concurrent probes share one check, and a
   * check that timed out is let go, so a hung database holds at most one query per probe period.
   */
  readiness(): Promise<Readiness> {
    let check = this.inflight;
    if (!check) {
      check = this.inflight = this.check()
        .catch((error: unknown): Readiness => ({ ready: false, reason: `database unreachable: ${messageOf(error)}` }))
        .finally(() => {
          if (this.inflight === check) this.inflight = undefined;
        });
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Readiness>((resolve) => {
      timer = setTimeout(() => {
        if (this.inflight === check) this.inflight = undefined;
        resolve({ ready: false, reason: `database did not answer within ${this.timeoutMs} ms` });
      }, this.timeoutMs);
    });
    return Promise.race([check, timeout]).finally(() => clearTimeout(timer));
  }

  private async check(): Promise<Readiness> {
    const expected = this.expected.length;
    const [table] = rowsOf(await this.db.execute(sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`));
    if (!table?.["present"]) {
      return {
        ready: false,
        reason: "no migrations applied: the database has no drizzle.__drizzle_migrations table",
        migrations: { applied: 0, expected },
      };
    }
    const rows = rowsOf(await this.db.execute(sql`select created_at from drizzle.__drizzle_migrations`));
    const applied = new Set(rows.map((r) => Number(String(r["created_at"]))));
    const missing = this.expected.filter((m) => !applied.has(m.when));
    const migrations = { applied: expected - missing.length, expected };
    if (missing.length) {
      return {
        ready: false,
        reason: `${migrations.applied} of ${expected} migrations applied; missing: ${missing.map((m) => m.tag).join(", ")}`,
        migrations,
      };
    }
    return { ready: true, migrations };
  }
}

/** drizzle wraps a driver's error in "Failed query: <sql>"; the driver's own message says what is wrong. */
function messageOf(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
