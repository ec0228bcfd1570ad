import postgres from "postgres";
import type { Logger } from "./logger.js";

/** The session advisory lock the instances contend for: whoever holds it runs the background work. */
export const LEADER_LOCK = 0x484b53_0001n;

export interface Leadership {
  /** Whether this instance is the leader right now. */
  isLeader(): boolean;
  /** Steps down (stopping the leader's work first, then releasing the lock so another instance takes over at once). */
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  /** Without a PostgreSQL URL (PGlite) there is one instance, so it leads. */
  databaseUrl?: string;
  instanceId: string;
  /** How often a follower tries for the lock and the leader checks it still holds it. */
  checkMs: number;
  logger: Logger;
  onChange?: (leader: boolean) => void;
  /** Starts the leader's work; what it returns is stopped when leadership ends. */
  lead(): Promise<{ stop(): Promise<void> }>;
}

/**
 * Leader election through a PostgreSQL session advisory lock on a connection of its own. The lock
 * lives exactly as long as that connection: a leader that dies (or loses the database) drops it, and
 * a follower's next try (every `checkMs`) takes over. The leader checks on every tick that its own
 * backend still holds the lock, because postgres.js reconnects silently and a new session holds nothing.
 */
export async function electLeader(options: LeadershipOptions): Promise<Leadership> {
  const { logger } = options;
  if (!options.databaseUrl) {
    const work = await options.lead();
    options.onChange?.(true);
    return { isLeader: () => true, stop: () => work.stop() };
  }

  const sql = postgres(options.databaseUrl, {
    max: 1,
    // The lock is the connection's: never recycle it while it is held.
    max_lifetime: 0,
    idle_timeout: 0,
    connect_timeout: 5,
    onnotice: () => undefined,
    connection: { application_name: `hks-leader ${options.instanceId}` },
  });
  let work: { stop(): Promise<void> } | undefined;
  let leader = false;
  let stopped = false;
  let transition = Promise.resolve();

  const become = (next: boolean, why: string) => {
    if (next === leader) return;
    leader = next;
    options.onChange?.(next);
    // Start and stop in sequence: a quick lose-and-regain must not run two sets of workers.
    transition = transition
      .then(async () => {
        if (next) {
          logger.info("this instance is the leader: running the background work", { instanceId: options.instanceId, why });
          work = await options.lead();
        } else {
          logger.warn("this instance is no longer the leader: stopping the background work", { instanceId: options.instanceId, why });
          await work?.stop();
          work = undefined;
        }
      })
      .catch((error: unknown) => logger.error("leadership change failed", { error: String(error) }));
  };

  const tick = async () => {
    try {
      if (leader) {
        const [row] = await sql<{ held: boolean }[]>`
          select exists (
            select 1 from pg_locks
            where locktype = 'advisory' and pid = pg_backend_pid() and granted
              and ((classid::bigint << 32) | objid::bigint) = ${LEADER_LOCK.toString()}::bigint
          ) as held`;
        if (!row?.held) become(false, "the database session holding the lock was lost");
      } else {
        const [row] = await sql<{ acquired: boolean }[]>`select pg_try_advisory_lock(${LEADER_LOCK.toString()}::bigint) as acquired`;
        if (row?.acquired) become(true, "acquired the leader lock");
      }
    } catch (error) {
      if (leader) become(false, `the database could not be reached: ${String(error)}`);
    }
  };

  await tick();
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => void tick().finally(schedule), options.checkMs);
    timer.unref();
  };
  schedule();

  return {
    isLeader: () => leader,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await transition;
      const wasLeader = leader;
      become(false, "shutting down");
      await transition;
      if (wasLeader) await sql`select pg_advisory_unlock(${LEADER_LOCK.toString()}::bigint)`.catch(() => undefined);
      await sql.end({ timeout: 5 });
    },
  };
}
