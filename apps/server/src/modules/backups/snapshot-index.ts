import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, like, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { snapshotEntries, snapshotIndexes } from "../../db/schema/snapshot-entries.js";
import type { Logger } from "../../logger.js";
import type { V1Pod } from "@kubernetes/client-node";
import type { VClusterClient } from "../../platform/kubernetes/vcluster-client.js";
import { SnapshotTaskError, snapshotTaskPod, startSnapshotTask } from "./snapshot-task.js";
import type { BackupSpec, TranslationOptions } from "./translation.js";

export type SnapshotEntryRecord = typeof snapshotEntries.$inferSelect;
export type SnapshotIndexRecord = typeof snapshotIndexes.$inferSelect;

/** An index still INDEXING after this long lost its server: the next look starts it again. */
const STALE_MS = 10 * 60_000;
/** Before its pod exists, an INDEXING row has no pod to look at: this long, it is trusted to be starting. */
const STARTING_MS = 60_000;
const BATCH = 1000;

/** restic's `ls --json` node: the members we keep. */
interface ResticNode {
  struct_type?: string;
  path?: string;
  name?: string;
  type?: string;
  size?: number;
  mtime?: string;
}

/**
 * A snapshot's listing in PostgreSQL: one Job reads the whole snapshot once (`restic ls --json`), the rows are keyed
 * by run, parent folder and name, and every folder page and search after that is a query. A snapshot never changes,
 * so the rows never go stale; they go with the run's row.
 */
export class SnapshotIndex {
  /** Listings this server is writing, so a second look in the meantime waits for the same one. */
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly deps: { db: Database; logger: Logger; translation: TranslationOptions }) {}

  async state(runId: string): Promise<SnapshotIndexRecord | undefined> {
    const [row] = await this.deps.db.select().from(snapshotIndexes).where(eq(snapshotIndexes.runId, runId));
    return row;
  }

  /**
   * The index of the run's snapshot, started when there is none (or the last try failed or was abandoned), waited for
   * up to `waitMs`. Returns the row as it then is: READY, INDEXING (still running), or FAILED with its message.
   */
  async ensure(
    run: { id: string; workspaceId: string; snapshot: string },
    target: { client: VClusterClient; spec: () => Promise<BackupSpec> },
    waitMs: number,
  ): Promise<SnapshotIndexRecord> {
    let row = await this.state(run.id);
    const stale = row?.state === "INDEXING" && !this.running.has(run.id) && (await this.abandoned(row, target.client));
    if (!row || row.state === "FAILED" || stale) {
      if (row) await this.deps.db.delete(snapshotIndexes).where(eq(snapshotIndexes.runId, run.id));
      const inserted = await this.deps.db
        .insert(snapshotIndexes)
        .values({ runId: run.id, workspaceId: run.workspaceId, state: "INDEXING" })
        .onConflictDoNothing()
        .returning();
      // Another server (or request) won the insert: it writes the listing, this one waits for it.
      if (inserted.length) {
        const job = this.write(run, target).finally(() => this.running.delete(run.id));
        this.running.set(run.id, job);
      }
    }
    const until = Date.now() + waitMs;
    for (;;) {
      row = await this.state(run.id);
      if (!row || row.state !== "INDEXING" || Date.now() >= until) return row!;
      const job = this.running.get(run.id);
      if (job) await Promise.race([job, sleep(Math.max(0, until - Date.now()))]);
      else await sleep(250);
    }
  }

  private async write(run: { id: string; snapshot: string }, target: { client: VClusterClient; spec: () => Promise<BackupSpec> }) {
    const started = Date.now();
    let task: Awaited<ReturnType<typeof startSnapshotTask>> | undefined;
    try {
      const pod = snapshotTaskPod(await target.spec(), this.deps.translation, {
        kind: "index",
        snapshot: run.snapshot,
        activeDeadlineSeconds: 3600,
      });
      // While INDEXING, the row names its pod: a server that restarts (or another one) can tell a listing in progress
      // from one whose writer is gone.
      await this.deps.db
        .update(snapshotIndexes)
        .set({ message: `${pod.metadata!.namespace}/${pod.metadata!.name}` })
        .where(eq(snapshotIndexes.runId, run.id));
      task = await startSnapshotTask(target.client, pod);
      let batch: Array<typeof snapshotEntries.$inferInsert> = [];
      let count = 0;
      for await (const line of task.lines) {
        const node = JSON.parse(line) as ResticNode;
        if (node.struct_type !== "node" || !node.path || node.path === "/") continue;
        batch.push(toEntry(run.id, node));
        if (batch.length >= BATCH) {
          await this.deps.db.insert(snapshotEntries).values(batch).onConflictDoNothing();
          count += batch.length;
          batch = [];
        }
      }
      if (batch.length) await this.deps.db.insert(snapshotEntries).values(batch).onConflictDoNothing();
      count += batch.length;
      await this.deps.db
        .update(snapshotIndexes)
        .set({ state: "READY", message: null, entryCount: count, durationMs: Date.now() - started, finishedAt: new Date() })
        .where(eq(snapshotIndexes.runId, run.id));
    } catch (error) {
      const message = failureMessage(error, run.snapshot);
      this.deps.logger.warn("snapshot listing failed", { runId: run.id, error: String(error) });
      await this.deps.db.delete(snapshotEntries).where(eq(snapshotEntries.runId, run.id));
      await this.deps.db
        .update(snapshotIndexes)
        .set({ state: "FAILED", message, durationMs: Date.now() - started, finishedAt: new Date() })
        .where(eq(snapshotIndexes.runId, run.id));
    } finally {
      await task?.stop();
    }
  }

  /** Whether an INDEXING row's writer is gone: its pod ended or vanished, or it is far too old. */
  private async abandoned(row: SnapshotIndexRecord, client: VClusterClient): Promise<boolean> {
    const age = Date.now() - row.startedAt.getTime();
    if (age > STALE_MS) return true;
    const [namespace, name] = (row.message ?? "").split("/");
    if (!namespace || !name) return age > STARTING_MS;
    const pod = await client.read<V1Pod>({ apiVersion: "v1", kind: "Pod", metadata: { namespace, name } }).catch(() => null);
    if (pod === null) return false; // the cluster did not answer: do not start a second listing on a guess
    if (pod && pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed") return false;
    if (pod) await client.delete({ apiVersion: "v1", kind: "Pod", metadata: { namespace, name } }).catch(() => undefined);
    return true;
  }

  /** Drops the listing (its entries go with it). */
  async forget(runId: string): Promise<void> {
    if (!this.running.has(runId)) await this.deps.db.delete(snapshotIndexes).where(eq(snapshotIndexes.runId, runId));
  }

  async entry(runId: string, path: string): Promise<SnapshotEntryRecord | undefined> {
    const [row] = await this.deps.db
      .select()
      .from(snapshotEntries)
      .where(and(eq(snapshotEntries.runId, runId), eq(snapshotEntries.path, path)));
    return row;
  }

  /** A folder's entries (folders first, then by name), or with `search` every entry below it whose name contains it. */
  async page(runId: string, folder: string, search: string | null, offset: number, limit: number) {
    const where = search
      ? and(
          eq(snapshotEntries.runId, runId),
          like(snapshotEntries.path, `${escapeLike(folder === "/" ? "/" : `${folder}/`)}%`),
          sql`lower(${snapshotEntries.name}) like ${`%${escapeLike(search.toLowerCase())}%`}`,
        )
      : and(eq(snapshotEntries.runId, runId), eq(snapshotEntries.parent, folder));
    const [{ total }] = (await this.deps.db
      .select({ total: sql<number>`count(*)::int` })
      .from(snapshotEntries)
      .where(where)) as [{ total: number }];
    const entries = await this.deps.db
      .select()
      .from(snapshotEntries)
      .where(where)
      // Folders first, then names as a person reads them (case aside), the same on every database collation.
      .orderBy(
        sql`(${snapshotEntries.type} = 'dir') desc`,
        search ? sql`lower(${snapshotEntries.path}) collate "C"` : sql`lower(${snapshotEntries.name}) collate "C"`,
        search ? sql`${snapshotEntries.path} collate "C"` : sql`${snapshotEntries.name} collate "C"`,
      )
      .limit(limit)
      .offset(offset);
    return { total, entries };
  }
}

function toEntry(runId: string, node: ResticNode): typeof snapshotEntries.$inferInsert {
  const path = node.path!;
  const cut = path.lastIndexOf("/");
  const mtime = node.mtime ? new Date(node.mtime) : null;
  return {
    runId,
    path,
    parent: cut <= 0 ? "/" : path.slice(0, cut),
    name: node.name ?? path.slice(cut + 1),
    type: node.type ?? "file",
    size: node.type === "file" ? (node.size ?? 0) : 0,
    mtime: mtime && !Number.isNaN(mtime.getTime()) ? mtime : null,
  };
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** What went wrong, in the task's own words when it said something. */
export function failureMessage(error: unknown, snapshot: string): string {
  if (!(error instanceof SnapshotTaskError)) return `The snapshot could not be read: ${(error as Error).message}`;
  const said = taskWords(error.output);
  if (/no matching ID found|not in the restic repository|unable to find snapshot/i.test(error.output))
    return `Snapshot ${snapshot.slice(0, 8)} is no longer in the repository (pruned, or the repository was replaced); pick a newer run.`;
  if (/wrong password|no key found/i.test(error.output))
    return "The workspace's backup key does not open this repository (its Secret was deleted or replaced): restore the key, then try again.";
  return said ? `${error.message} ${said}` : error.message;
}

/** The functions' result message, or the last thing restic said. */
export function taskWords(output: string): string {
  for (const line of output.split("\n").reverse()) {
    const at = line.indexOf("hks-backup: result: ");
    if (at >= 0) {
      try {
        return String((JSON.parse(line.slice(at + 20)) as { message?: string }).message ?? "");
      } catch {
        /* not the result line after all */
      }
    }
  }
  return output.split("\n").filter(Boolean).slice(-3).join(" ").slice(0, 600);
}
