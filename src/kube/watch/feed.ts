import type { ObjectStore } from '../../store/objects.ts';
import type { WatchEvent } from '../types.ts';

/** Live watch events of a cluster, in commit order. Watches subscribe before they replay history. */
export interface ChangeFeed {
  subscribe(clusterId: string, listener: (events: WatchEvent[]) => void): () => void;
}

/**
 * The in-process feed: every commit made through this process's ObjectStore. A multi-process
 * deployment replaces it with one fed by Redis pub/sub, so writes from workers reach API watches.
 */
export function storeChangeFeed(store: ObjectStore): ChangeFeed & { listenerCount(clusterId: string): number } {
  const listeners = new Map<string, Set<(events: WatchEvent[]) => void>>();
  store.onCommit((clusterId, events) => {
    const set = listeners.get(clusterId);
    if (!set) return;
    for (const l of [...set]) {
      try {
        l(events);
      } catch {
        // One broken watcher must not stop the others (or the committing writer).
      }
    }
  });
  return {
    subscribe(clusterId, listener) {
      let set = listeners.get(clusterId);
      if (!set) listeners.set(clusterId, (set = new Set()));
      set.add(listener);
      return () => {
        set!.delete(listener);
        if (set!.size === 0 && listeners.get(clusterId) === set) listeners.delete(clusterId);
      };
    },
    listenerCount(clusterId) {
      return listeners.get(clusterId)?.size ?? 0;
    },
  };
}
