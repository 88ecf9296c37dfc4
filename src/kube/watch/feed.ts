import type { ObjectStore } from '../../store/objects.ts';
import type { WatchEvent } from '../types.ts';

/** Live watch events of a cluster, in commit order. Watches subscribe before they replay history. */
export interface ChangeFeed {
  subscribe(clusterId: string, listener: (events: WatchEvent[]) => void): () => void;
}

type Listener = (events: WatchEvent[]) => void;

/** The watches of each cluster in this process, and delivery to them whatever carried the events here. */
export function clusterListeners() {
  const listeners = new Map<string, Set<Listener>>();
  return {
    subscribe(clusterId: string, listener: Listener): () => void {
      let set = listeners.get(clusterId);
      if (!set) listeners.set(clusterId, (set = new Set()));
      set.add(listener);
      return () => {
        set!.delete(listener);
        if (set!.size === 0 && listeners.get(clusterId) === set) listeners.delete(clusterId);
      };
    },
    deliver(clusterId: string, events: WatchEvent[]): void {
      const set = listeners.get(clusterId);
      if (!set) return;
      for (const l of [...set]) {
        try {
          l(events);
        } catch {
          // One broken watcher must not stop the others (or the committing writer).
        }
      }
    },
    listenerCount(clusterId: string): number {
      return listeners.get(clusterId)?.size ?? 0;
    },
  };
}

/**
 * The in-process feed: every commit made through this process's ObjectStore. A multi-process
 * deployment replaces it with one fed by Redis pub/sub, so writes from workers reach API watches.
 */
export function storeChangeFeed(store: ObjectStore): ChangeFeed & { listenerCount(clusterId: string): number } {
  const listeners = clusterListeners();
  store.onCommit(listeners.deliver);
  return { subscribe: listeners.subscribe, listenerCount: listeners.listenerCount };
}
