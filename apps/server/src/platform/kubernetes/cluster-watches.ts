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

/**
 * The watches of every followed vCluster, for a fixed set of kinds (and label selectors): started per vCluster
 * on demand, stopped per vCluster or all at once. Listeners hear every change of every vCluster, those started
 * later included.
 */
export class ClusterWatches<K extends string> {
  private readonly watches = new Map<string, ClusterWatch<K>>();
  private readonly listeners = new Set<ClusterChangeListener<K>>();

  constructor(
    private readonly vclusters: Pick<VClusters, "forName">,
    private readonly kinds: Record<K, WatchedKind>,
    private readonly options: Omit<InformerOptions, "onError"> & {
      onError?: (vcluster: string, kind: K, error: unknown, attempt: number) => void;
    } = {},
  ) {}

  /** The vCluster's watch, started if it was not (idempotent). */
  start(vcluster: string): ClusterWatch<K> {
    let watch = this.watches.get(vcluster);
    if (!watch) {
      const client = this.vclusters.forName(vcluster);
      const informers = {} as Record<K, Informer<WatchedObject>>;
      for (const kind of Object.keys(this.kinds) as K[]) {
        const informer = new Informer<WatchedObject>(client, this.kinds[kind], {
          ...this.options,
          onError: (error, attempt) => this.options.onError?.(vcluster, kind, error, attempt),
        });
        informer.on((type, object, old) => {
          for (const listener of this.listeners) listener(vcluster, kind, type, object, old);
        });
        informers[kind] = informer;
      }
      watch = new ClusterWatch(vcluster, informers);
      this.watches.set(vcluster, watch);
      watch.start();
    }
    return watch;
  }

  get(vcluster: string): ClusterWatch<K> | undefined {
    return this.watches.get(vcluster);
  }

  stop(vcluster: string): void {
    this.watches.get(vcluster)?.stop();
    this.watches.delete(vcluster);
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
