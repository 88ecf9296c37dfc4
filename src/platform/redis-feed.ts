import type { Redis } from 'ioredis';
import type { ObjectStore } from '../store/objects.ts';
import type { ChangeFeed } from '../kube/watch/feed.ts';
import type { WatchEvent } from '../kube/types.ts';
import { randomString } from '../lib/ids.ts';

type Listener = (events: WatchEvent[]) => void;

/**
 * Watch events from every process: commits made here are delivered at once and published on Redis;
 * commits published by other processes (workers, other API replicas) are delivered when they arrive.
 */
export function redisChangeFeed(store: ObjectStore, pub: Redis, sub: Redis, prefix: string): ChangeFeed & { close(): Promise<void> } {
  const origin = randomString(10);
  const channel = `${prefix}:changes`;
  const listeners = new Map<string, Set<Listener>>();
  const deliver = (clusterId: string, events: WatchEvent[]) => {
    for (const l of [...(listeners.get(clusterId) ?? [])]) {
      try {
        l(events);
      } catch {
        // A broken watcher must not stop the others.
      }
    }
  };
  store.onCommit((clusterId, events) => {
    deliver(clusterId, events);
    void pub.publish(channel, JSON.stringify({ origin, clusterId, events })).catch(() => undefined);
  });
  sub.subscribe(channel).catch(() => undefined);
  sub.on('message', (_ch: string, message: string) => {
    const m = JSON.parse(message) as { origin: string; clusterId: string; events: WatchEvent[] };
    if (m.origin !== origin && listeners.has(m.clusterId)) deliver(m.clusterId, m.events);
  });
  return {
    subscribe(clusterId, listener) {
      let set = listeners.get(clusterId);
      if (!set) listeners.set(clusterId, (set = new Set()));
      set.add(listener);
      return () => {
        set!.delete(listener);
        if (set!.size === 0) listeners.delete(clusterId);
      };
    },
    async close() {
      await sub.unsubscribe(channel).catch(() => undefined);
    },
  };
}
