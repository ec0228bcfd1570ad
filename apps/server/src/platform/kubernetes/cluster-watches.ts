import { Informer, type InformerOptions, type WatchEventType, type WatchedKind, type WatchedObject } from "./informer.js";
import type { VClusters } from "./vclusters.js";

export type ClusterChangeListener<K extends string> = (
  vcluster: string,
  kind: K,
  type: WatchEventType,
  object: WatchedObject,
  old: WatchedObject | undefined,
) => void;

/**
 * One vCluster's informers, one per watched kind, started and stopped together: the unit a replica takes on or
 * hands over when the workspaces are shared out between replicas.
 */
export class ClusterWatch<K extends string> {
  readonly informers: Record<K, Informer<WatchedObject>>;

  constructor(
    readonly vcluster: string,
    informers: Record<K, Informer<WatchedObject>>,
  ) {
    this.informers = informers;
  }

  start(): void {
    for (const informer of this.all()) informer.start();
  }

  stop(): void {
    for (const informer of this.all()) informer.stop();
  }

  get hasSynced(): boolean {
    return this.all().every((i) => i.hasSynced);
  }

  /** Resolves once every kind was listed once; rejects after `timeoutMs` (a vCluster that cannot be reached). */
  async synced(timeoutMs = 30_000): Promise<void> {
    if (this.hasSynced) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        Promise.all(this.all().map((i) => i.waitForSync())),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`vCluster ${this.vcluster} could not be listed within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The cached objects of a kind (plain JSON as the API sent them). */
  list<T extends WatchedObject>(kind: K): T[] {
    return this.informers[kind].list() as T[];
  }

  private all(): Array<Informer<WatchedObject>> {
    return Object.values(this.informers);
  }
}

/** What start() hands out for a vCluster this replica does not follow: no requests, no objects, never synced. */
export class UnfollowedWatch<K extends string> extends ClusterWatch<K> {
  constructor(vcluster: string) {
    super(vcluster, {} as Record<K, Informer<WatchedObject>>);
  }

  override start(): void {}

  override get hasSynced(): boolean {
    return false;
  }

  override synced(): Promise<void> {
    return Promise.reject(new NotFollowedError(this.vcluster));
  }

  override list<T extends WatchedObject>(): T[] {
    return [];
  }
}

/** A vCluster this replica does not follow was asked for (its workspace is another replica's, or just moved away). */
export class NotFollowedError extends Error {
  constructor(readonly vcluster: string) {
    super(`vCluster ${vcluster} is not followed by this replica: its workspace's background work runs elsewhere`);
    this.name = "NotFollowedError";
  }
}

/**
 * The watches of every followed vCluster, for a fixed set of kinds (and label selectors), stopped per vCluster or
 * all at once. Listeners hear every change of every vCluster, those started later included.
 *
 * On demand (one instance running every workspace), start() begins a vCluster's watch at first use. Otherwise
 * (`onDemand: false`, replicas sharing the workspaces) only follow() begins one, when the workspace's lease is taken,
 * and start() hands out the followed watches alone: a loop that reads a workspace just as it moves away must not open
 * a watch on a vCluster that its new owner watches already.
 */
export class ClusterWatches<K extends string> {
  private readonly watches = new Map<string, ClusterWatch<K>>();
  private readonly followers = new Map<string, number>();
  private readonly listeners = new Set<ClusterChangeListener<K>>();

  constructor(
    private readonly vclusters: Pick<VClusters, "forName">,
    private readonly kinds: Record<K, WatchedKind>,
    private readonly options: Omit<InformerOptions, "onError"> & {
      onError?: (vcluster: string, kind: K, error: unknown, attempt: number) => void;
      /** Whether start() may begin a watch (default true); false: only follow() does. */
      onDemand?: boolean;
    } = {},
  ) {}

  /** The vCluster's watch: started if it was not and watches start on demand; else followed ones only. */
  start(vcluster: string): ClusterWatch<K> {
    const watch = this.watches.get(vcluster);
    if (watch) return watch;
    return this.options.onDemand === false ? new UnfollowedWatch(vcluster) : this.begin(vcluster);
  }

  /**
   * Watches the vCluster until the returned release is called (by each follower: two workspaces on one vCluster
   * keep its watch until both let go). The watch is stopped with the last release.
   */
  follow(vcluster: string): { watch: ClusterWatch<K>; release(): void } {
    const watch = this.watches.get(vcluster) ?? this.begin(vcluster);
    this.followers.set(vcluster, (this.followers.get(vcluster) ?? 0) + 1);
    let released = false;
    return {
      watch,
      release: () => {
        // Stopped meanwhile (stop, stopAll): a watch begun afresh since is not this follower's to count down.
        if (released || this.watches.get(vcluster) !== watch) return;
        released = true;
        const left = (this.followers.get(vcluster) ?? 1) - 1;
        if (left > 0) this.followers.set(vcluster, left);
        else this.stop(vcluster);
      },
    };
  }

  private begin(vcluster: string): ClusterWatch<K> {
    const client = this.vclusters.forName(vcluster);
    const informers = {} as Record<K, Informer<WatchedObject>>;
    const { onDemand: _onDemand, ...options } = this.options;
    for (const kind of Object.keys(this.kinds) as K[]) {
      const informer = new Informer<WatchedObject>(client, this.kinds[kind], {
        ...options,
        onError: (error, attempt) => this.options.onError?.(vcluster, kind, error, attempt),
      });
      informer.on((type, object, old) => {
        for (const listener of this.listeners) listener(vcluster, kind, type, object, old);
      });
      informers[kind] = informer;
    }
    const watch = new ClusterWatch(vcluster, informers);
    this.watches.set(vcluster, watch);
    watch.start();
    return watch;
  }

  get(vcluster: string): ClusterWatch<K> | undefined {
    return this.watches.get(vcluster);
  }

  stop(vcluster: string): void {
    this.watches.get(vcluster)?.stop();
    this.watches.delete(vcluster);
    this.followers.delete(vcluster);
  }

  stopAll(): void {
    for (const name of [...this.watches.keys()]) this.stop(name);
  }

  names(): string[] {
    return [...this.watches.keys()];
  }

  onChange(listener: ClusterChangeListener<K>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
