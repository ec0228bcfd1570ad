/**
 * Several real server processes sharing one PostgreSQL and one lab, their workspaces sharded among them (the
 * failover and workspaces benches), and the bench's clean-up: whatever was started is stopped, in reverse order, when
 * the bench ends, fails or is interrupted.
 */
import type { Lab } from "@hks/lab";
import type postgres from "postgres";
import { startServerProcess, type ServerProcess } from "../../apps/server/src/test/server-process.js";

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** The replicas alive now, by instance id (a killed one is taken out), and what to stop at the end. */
export class BenchRun {
  readonly servers = new Map<string, ServerProcess>();
  private readonly cleanups: Array<() => Promise<unknown>> = [];

  constructor(private readonly log: (message: string) => void) {}

  defer(cleanup: () => Promise<unknown>): void {
    this.cleanups.push(cleanup);
  }

  /** Starts the replicas at once (each seeds the lab's workspaces and leases its share as soon as it is up). */
  async startReplicas(options: { ids: string[]; dataDir: string; databaseUrl: string; lab: Lab; env?: Record<string, string> }) {
    const started = await Promise.all(
      options.ids.map((id) =>
        startServerProcess({
          dataDir: options.dataDir,
          databaseUrl: options.databaseUrl,
          lab: options.lab,
          env: { HKS_INSTANCE_ID: id, LOG_LEVEL: "warn", ...options.env },
        }),
      ),
    );
    started.forEach((s, i) => this.servers.set(options.ids[i]!, s));
    if (this.servers.size === started.length) this.defer(() => Promise.all([...this.servers.values()].map((s) => s.kill())));
    return started;
  }

  async kill(id: string, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    await this.servers.get(id)?.kill(signal);
    this.servers.delete(id);
  }

  /** Runs the bench; on failure prints the replicas' last warnings; always cleans up (also on SIGINT/SIGTERM). */
  async main(body: () => Promise<void>): Promise<void> {
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void this.cleanUp().finally(() => process.exit(130)));
    try {
      await body();
    } catch (error) {
      for (const [id, server] of this.servers)
        this.log(
          `${id}:\n${server
            .output()
            .split("\n")
            .filter((l) => /warn|error/.test(l))
            .slice(-15)
            .join("\n")}`,
        );
      throw error;
    } finally {
      await this.cleanUp();
    }
  }

  private async cleanUp(): Promise<void> {
    for (const cleanup of this.cleanups.splice(0).reverse())
      await cleanup().catch((error: unknown) => this.log(`cleanup failed: ${String(error)}`));
  }
}

/** Who holds a valid lease on each workspace, read from PostgreSQL itself. */
export async function leaseOwners(sql: postgres.Sql): Promise<Map<string, string>> {
  const rows = await sql<{ workspace_id: string; owner: string }[]>`
    select workspace_id, owner from workspace_leases where expires_at > now()`;
  return new Map(rows.map((r) => [r.workspace_id, r.owner]));
}

/**
 * Each replica's count of workspaces, once all `total` are leased, every one of `replicas` holds some, and the counts
 * stood still for `steadyMs` (the replicas hand workspaces over for a few heartbeats after the last one joins: a share
 * read mid-handover is not the division they settle on).
 */
export async function sharesSettled(
  sql: postgres.Sql,
  total: number,
  replicas: number,
  timeoutMs = 120_000,
  steadyMs = 3_000,
): Promise<Map<string, number>> {
  let last = "";
  let since = 0;
  return until(`every workspace leased to all ${replicas} replicas, the shares steady for ${steadyMs} ms`, timeoutMs, async () => {
    const owners = await leaseOwners(sql);
    const counts = new Map<string, number>();
    for (const owner of owners.values()) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    if (owners.size !== total || counts.size !== replicas) return undefined;
    const key = JSON.stringify([...counts].sort());
    if (key !== last) [last, since] = [key, Date.now()];
    return Date.now() - since >= steadyMs ? counts : undefined;
  });
}
