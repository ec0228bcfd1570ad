/**
 * A bounded map that forgets the least recently used entry first. Map order is insertion order, so
 * re-inserting an entry on a hit marks it most recently used and the first key is always the oldest.
 */
export class Lru<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The entry for `key`, loaded (and kept, unless `keep` says not) when it is not there. */
  getOrLoad(key: K, load: () => V, keep: (value: V) => boolean = () => true): V {
    if (this.entries.has(key)) {
      const hit = this.entries.get(key)!;
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = load();
    if (keep(value)) {
      this.entries.set(key, value);
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
