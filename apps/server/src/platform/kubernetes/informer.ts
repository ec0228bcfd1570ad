import type { VClusterClient } from "./vcluster-client.js";

/**
 * An informer of our own on client-node's Watch, rather than its ListWatch/makeInformer (1.4): that one never asks
 * for bookmarks (so a reconnect after a quiet hour resumes from a version the server may have forgotten and relists
 * everything), sends no timeoutSeconds, and on any error other than a 410 stops for good after telling its error
 * listeners: no reconnect, no backoff. This one lists once, then watches from the list's resourceVersion with
 * bookmarks and a server-side timeout (5 to 10 minutes, as client-go), resumes from the last version it saw when a
 * watch ends, relists on 410 Gone (an ERROR event or an HTTP 410), retries failures with a growing, jittered backoff,
 * drops a connection that has been silent for longer than its timeout, and relists now and then (`relistMs`) as a
 * cheap safety net.
 */

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchedObject {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
}

export type InformerListener<T> = (type: WatchEventType, object: T, old: T | undefined) => void;

export interface WatchedKind {
  apiVersion: string;
  kind: string;
  labelSelector?: string;
}

export interface InformerOptions {
  /** Server-side watch timeout, picked at random in [min, max] seconds per watch so reconnects spread out. */
  timeoutSeconds?: { min: number; max: number };
  /** First retry delay after a failure, doubled per failure up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A fresh list this often even when the watch is healthy (0: never). */
  relistMs?: number;
  /** Told of failures (the first of a run of them, and each tenth after). */
  onError?: (error: unknown, attempt: number) => void;
}

export interface InformerStats {
  lists: number;
  watches: number;
  /** Relists because the server had forgotten the version (410). */
  expired: number;
  failures: number;
}

const DEFAULTS = { timeoutSeconds: { min: 300, max: 600 }, backoffMs: 500, maxBackoffMs: 30_000, relistMs: 30 * 60_000 };

export class Informer<T extends WatchedObject> {
  private readonly cache = new Map<string, T>();
  private readonly listeners = new Set<InformerListener<T>>();
  private resourceVersion = "";
  private stopped = true;
  /** Bumped by each start: a loop from before a stop and a quick restart sees it is no longer the current one. */
  private generation = 0;
  private abortWatch?: () => void;
  private wake?: () => void;
  private relistTimer?: NodeJS.Timeout;
  private relistDue = false;
  private synced = false;
  private readonly syncWaiters: Array<() => void> = [];
  readonly stats: InformerStats = { lists: 0, watches: 0, expired: 0, failures: 0 };
  private readonly options: typeof DEFAULTS & Pick<InformerOptions, "onError">;

  constructor(
    private readonly client: Pick<VClusterClient, "listAt" | "watch">,
    readonly what: WatchedKind,
    options: InformerOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Every change of the cache: from watch events and from relists (told as the differences they make). */
  on(listener: InformerListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.options.relistMs > 0) {
      this.relistTimer = setInterval(() => {
        this.relistDue = true;
        this.abortWatch?.();
      }, this.options.relistMs);
      this.relistTimer.unref();
    }
    void this.loop(++this.generation);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.relistTimer);
    this.abortWatch?.();
    this.wake?.();
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list is in the cache (at once when it already is). */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(keyOf(namespace, name));
  }

  private async loop(generation: number): Promise<void> {
    let failures = 0;
    const current = () => !this.stopped && generation === this.generation;
    while (current()) {
      try {
        if (!this.resourceVersion || this.relistDue) await this.relist();
        if (!current()) return;
        const opened = Date.now();
        const outcome = await this.watchOnce();
        if (outcome === "expired") {
          this.stats.expired++;
          this.resourceVersion = "";
          failures = 0;
          continue;
        }
        // A stream the server ends at once, again and again, must not turn into a busy loop.
        failures = Date.now() - opened < 1000 && !this.relistDue && !this.stopped ? failures + 1 : 0;
        if (failures) await this.pause(backoff(failures, this.options));
      } catch (error) {
        if (!current()) return;
        if (statusOf(error) === 410) {
          this.stats.expired++;
          this.resourceVersion = "";
          continue;
        }
        failures++;
        this.stats.failures++;
        // A version the server does not know (504 "Too large resource version": an apiserver restored from an older
        // backup), or failure after failure: start afresh from a list rather than insist on that version.
        if (statusOf(error) === 504 || failures >= 3) this.resourceVersion = "";
        if (failures === 1 || failures % 10 === 0) this.options.onError?.(error, failures);
        await this.pause(backoff(failures, this.options));
      }
    }
  }

  private async relist(): Promise<void> {
    this.relistDue = false;
    this.stats.lists++;
    const { items, resourceVersion } = await this.client.listAt<T>(this.what.apiVersion, this.what.kind, this.what.labelSelector);
    if (this.stopped) return;
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item.metadata?.namespace, item.metadata?.name ?? "");
      seen.add(key);
      const old = this.cache.get(key);
      this.cache.set(key, item);
      if (!old) this.emit("ADDED", item, undefined);
      else if (old.metadata?.resourceVersion !== item.metadata?.resourceVersion) this.emit("MODIFIED", item, old);
    }
    for (const [key, old] of [...this.cache]) {
      if (seen.has(key)) continue;
      this.cache.delete(key);
      this.emit("DELETED", old, old);
    }
    this.resourceVersion = resourceVersion;
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  /** One watch connection, until it ends: "ended" (resume from the last version), "expired" (relist), or a failure. */
  private watchOnce(): Promise<"ended" | "expired"> {
    const { min, max } = this.options.timeoutSeconds;
    const timeoutSeconds = Math.round(min + Math.random() * (max - min));
    return new Promise((resolve, reject) => {
      let expired = false;
      let failure: unknown;
      let settled = false;
      let watchdog: NodeJS.Timeout | undefined;
      let abort: (() => void) | undefined;
      const finish = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(watchdog);
        this.abortWatch = undefined;
        abort?.();
        if (expired || statusOf(error) === 410) resolve("expired");
        else if (failure ?? error) {
          const cause = failure ?? error;
          reject(cause instanceof Error ? cause : new Error(String(cause)));
        } else resolve("ended");
      };
      // Bookmarks come about every minute: a stream silent for longer than its own timeout is dead.
      const armWatchdog = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => finish(new Error("the watch went silent")), (timeoutSeconds + 30) * 1000);
        watchdog.unref();
      };
      this.abortWatch = () => finish(undefined);
      this.stats.watches++;
      armWatchdog();
      this.client
        .watch(
          this.what.apiVersion,
          this.what.kind,
          {
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: true,
            timeoutSeconds,
            ...(this.what.labelSelector ? { labelSelector: this.what.labelSelector } : {}),
          },
          (type, object) => {
            if (settled) return;
            armWatchdog();
            this.onEvent(type, object as T & { code?: number; message?: string }, (error) => {
              if (statusOf(error) === 410) expired = true;
              else failure = error;
            });
          },
          (error) => finish(error),
        )
        .then(
          (controller) => {
            abort = () => controller.abort();
            if (settled) controller.abort();
          },
          (error: unknown) => finish(error),
        );
    });
  }

  private onEvent(type: string, object: T & { code?: number; message?: string }, fail: (error: unknown) => void): void {
    const version = object.metadata?.resourceVersion;
    if (type === "ERROR") {
      fail(Object.assign(new Error(object.message ?? "watch error"), { statusCode: object.code }));
      return;
    }
    if (type === "BOOKMARK") {
      if (version) this.resourceVersion = version;
      return;
    }
    if (type !== "ADDED" && type !== "MODIFIED" && type !== "DELETED") return;
    const key = keyOf(object.metadata?.namespace, object.metadata?.name ?? "");
    const old = this.cache.get(key);
    if (type === "DELETED") this.cache.delete(key);
    else this.cache.set(key, object);
    if (version) this.resourceVersion = version;
    this.emit(type, object, old);
  }

  private emit(type: WatchEventType, object: T, old: T | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(type, object, old);
      } catch {
        // A listener's failure is its own; the cache and the other listeners go on.
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}

const keyOf = (namespace: string | undefined, name: string) => `${namespace ?? ""}/${name}`;

function statusOf(error: unknown): number | undefined {
  if (!error || typeof error !== "object") return undefined;
  const e = error as { statusCode?: unknown; status?: unknown; code?: unknown };
  for (const v of [e.statusCode, e.status, e.code]) if (typeof v === "number") return v;
  return undefined;
}

function backoff(failures: number, options: { backoffMs: number; maxBackoffMs: number }): number {
  const ms = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** (failures - 1));
  return ms / 2 + Math.random() * (ms / 2);
}
