/**
 * Collects the keys asked for in one tick and loads them with one call, as DataLoader does:
 * a list of N volumes costs one query for their usage, not N.
 */
export function batchLoader<K, V>(loadMany: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  let pending: { keys: K[]; result: Promise<Map<K, V>> } | undefined;
  return (key) => {
    if (!pending) {
      const batch: { keys: K[]; result?: Promise<Map<K, V>> } = { keys: [] };
      batch.result = new Promise<void>((resolve) => queueMicrotask(resolve)).then(() => {
        pending = undefined;
        return loadMany(batch.keys);
      });
      pending = batch as { keys: K[]; result: Promise<Map<K, V>> };
    }
    pending.keys.push(key);
    return pending.result.then((map) => map.get(key));
  };
}

/** Runs `work` over the items with at most `limit` at a time (one slow vCluster does not hold up the rest). */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
