import type { Redis } from 'ioredis';
import { eventJson, type ObjectStore } from '../store/objects.ts';
import { clusterListeners, type ChangeFeed } from '../kube/watch/feed.ts';
import type { WatchEvent } from '../kube/types.ts';
import { randomString } from '../lib/ids.ts';

/**
 * Watch events from every process: commits made here are delivered at once and published on Redis;
 * commits published by other processes (workers, other API replicas) are delivered when they arrive.
 * Messages published while the subscriber was disconnected are gone, so when it is back the watched
 * clusters' events since the last one delivered are read from the store (watches drop duplicates).
 */
/** A change message begins with its origin and cluster id (see the publish below). */

export function redisChangeFeed(store: ObjectStore, pub: Redis, sub: Redis, prefix: string): ChangeFeed & { close(): Promise<void> } {
  const origin = randomString(10);
  const channel = `${prefix}:changes`;
  const listeners = clusterListeners();
  // Newest revision delivered per watched cluster: where to resume after a lost subscription.
  const delivered = new Map<string, number>();
  const deliver = (clusterId: string, events: WatchEvent[]) => {
    if (listeners.listenerCount(clusterId) === 0) {
      delivered.delete(clusterId);
      return;
    }
    const newest = events.reduce((m, e) => Math.max(m, e.resourceVersion), delivered.get(clusterId) ?? 0);
    delivered.set(clusterId, newest);
    listeners.deliver(clusterId, events);
  };
  store.onCommit((clusterId, events) => {
    deliver(clusterId, events);
    // The same text as JSON.stringify({ origin, clusterId, events }), with each object as stored.
    const message = `{"origin":${JSON.stringify(origin)},"clusterId":${JSON.stringify(clusterId)},"events":[${events.map(eventJson).join(',')}]}`;
    void pub.publish(channel, message).catch(() => undefined);
  });
  sub.subscribe(channel).catch(() => undefined);
  // Our own commits were delivered when they happened: told apart by the message's first key, without
  // parsing it (a big commit's message is every object it wrote, and a busy process receives all its own).
  const ownMessage = `{"origin":${JSON.stringify(origin)},`;
  // The cluster is read from the message's head too, so commits of clusters nobody here watches
  // (all of them, on an API process without watches while workers churn) are not parsed, nor even
  // decoded into a string: the head is read from the bytes ioredis received.
  const head = /^\{"origin":"[^"]*","clusterId":"([^"\\]*)"/;
  sub.on('messageBuffer', (_ch: Buffer, bytes: Buffer) => {
    const start = bytes.toString('latin1', 0, Math.min(bytes.length, 256));
    if (start.startsWith(ownMessage)) return;
    const clusterId = head.exec(start)?.[1];
    if (clusterId !== undefined && listeners.listenerCount(clusterId) === 0) {
      delivered.delete(clusterId);
      return;
    }
    const m = JSON.parse(bytes.toString('utf8')) as { origin: string; clusterId: string; events: WatchEvent[] };
    if (m.origin !== origin) deliver(m.clusterId, m.events);
  });

  let resumeFrom: Map<string, number> | undefined;
  sub.on('close', () => (resumeFrom ??= new Map(delivered)));
  // ioredis subscribes again by itself on reconnect ('ready' comes after that).
  sub.on('ready', () => {
    const gaps = resumeFrom;
    resumeFrom = undefined;
    for (const [clusterId, since] of gaps ?? []) {
      if (listeners.listenerCount(clusterId) === 0) continue;
      store.eventsSince(clusterId, since).then(
        (events) => events.length && deliver(clusterId, events),
        () => undefined, // compacted meanwhile: too old to replay
      );
    }
  });
  return {
    subscribe: listeners.subscribe,
    async close() {
      await sub.unsubscribe(channel).catch(() => undefined);
    },
  };
}
