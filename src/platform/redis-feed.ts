import type { Redis } from 'ioredis';
import type { ObjectStore } from '../store/objects.ts';
import { clusterListeners, type ChangeFeed } from '../kube/watch/feed.ts';
import type { WatchEvent } from '../kube/types.ts';
import { randomString } from '../lib/ids.ts';

/**
 * Watch events from every process: commits made here are delivered at once and published on Redis;
 * commits published by other processes (workers, other API replicas) are delivered when they arrive.
 */
export function redisChangeFeed(store: ObjectStore, pub: Redis, sub: Redis, prefix: string): ChangeFeed & { close(): Promise<void> } {
  const origin = randomString(10);
  const channel = `${prefix}:changes`;
  const listeners = clusterListeners();
  store.onCommit((clusterId, events) => {
    listeners.deliver(clusterId, events);
    void pub.publish(channel, JSON.stringify({ origin, clusterId, events })).catch(() => undefined);
  });
  sub.subscribe(channel).catch(() => undefined);
  sub.on('message', (_ch: string, message: string) => {
    const m = JSON.parse(message) as { origin: string; clusterId: string; events: WatchEvent[] };
    // Our own commits were delivered when they happened.
    if (m.origin !== origin && listeners.listenerCount(m.clusterId) > 0) listeners.deliver(m.clusterId, m.events);
  });
  return {
    subscribe: listeners.subscribe,
    async close() {
      await sub.unsubscribe(channel).catch(() => undefined);
    },
  };
}
